/** What kind of job, in words: the same in `rigger jobs` and on the Jobs page. */
export function jobKind(type: string, subtype: string): string {
  if (type === 'update')
    return subtype === 'deploy'
      ? 'Custom image'
      : subtype === 'install'
        ? 'Update (install)'
        : 'Update (write)';
  if (type === 'factory_reset') return 'Factory reset';
  return type.charAt(0).toUpperCase() + type.slice(1);
}

/** A job's name: its kind and, for an update, the version it writes ("Update (write) v5.1.1"). */
export function jobName(job: {
  type: string;
  subtype: string;
  update?: { version: string } | undefined;
}): string {
  const kind = jobKind(job.type, job.subtype);
  return job.update?.version ? `${kind} ${job.update.version}` : kind;
}
