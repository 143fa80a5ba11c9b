export * from './registry';
export { startRetentionJob, type RetentionJob, type RetentionLog } from './retention-job';
export { emailsIn } from './emails';
