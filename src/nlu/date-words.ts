/** Word lists shared by the date readers (dates.ts, dates-months.ts): folded words. */

export const MONTHS: Record<string, number> = {
  januar: 1, jaenner: 1, jan: 1, january: 1, februar: 2, feb: 2, february: 2, maerz: 3, march: 3, april: 4, apr: 4, mai: 5, may: 5, juni: 6,
  jun: 6, june: 6, juli: 7, jul: 7, july: 7, august: 8, aug: 8, september: 9, sept: 9, sep: 9, oktober: 10, okt: 10, october: 10,
  november: 11, nov: 11, dezember: 12, dez: 12, december: 12, dec: 12, oct: 10, mar: 3,
  januars: 1, februars: 2, aprils: 4, augusts: 8, septembers: 9, oktobers: 10, novembers: 11, dezembers: 12,
};
export const NEXT = new Set(['naechste', 'naechsten', 'naechster', 'naechstes', 'kommende', 'kommenden', 'kommender', 'next', 'folgende', 'folgenden']);
export const AFTER_NEXT = new Set(['uebernaechste', 'uebernaechsten', 'uebernaechster']);
export const THIS = new Set(['diese', 'diesen', 'dieser', 'dieses', 'laufende', 'laufenden', 'this', 'aktuelle', 'aktuellen']);
export const START = new Set(['anfang', 'beginning', 'early', 'start']);
export const MIDDLE = new Set(['mitte', 'mid', 'middle']);
export const END = new Set(['ende', 'end', 'late']);
export const WEEK = new Set(['woche', 'week', 'wochen', 'weeks']);

export type Range = { from: string; to: string };
