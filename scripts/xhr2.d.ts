/** xhr2 ships no types; it is only handed to botframework-directlinejs as the global XMLHttpRequest. */
declare module 'xhr2' {
  const XMLHttpRequest: unknown;
  export default XMLHttpRequest;
}
