/** Backup places' fields only this computer's command line may set (paths Rigger would write or read). */
export const BACKUP_PLACES_LOCAL_ONLY: Record<string, { field: string; why: string; cli: string }> =
  {
    'backupPlaces.report': {
      field: 'output',
      why: "A report is written to Rigger's reports folder; GET /cloud-integration/backup/report/generate returns it",
      cli: 'rigger backup report --format pdf -o FILE',
    },
    'backupPlaces.exportConfig': {
      field: 'output',
      why: 'The export is the answer itself',
      cli: 'rigger backup export-config GATEWAY -o FILE',
    },
    'backupPlaces.import': {
      field: 'file',
      why: 'Upload the file as the form field "file"',
      cli: 'rigger backup import FILE',
    },
    'backupPlaces.importValidate': {
      field: 'file',
      why: 'Upload the file as the form field "file"',
      cli: 'rigger backup import FILE --validate-only',
    },
    'backupPlaces.trustSite': {
      field: 'file',
      why: 'Send the key itself as "pem"',
      cli: 'rigger backup trust add FILE',
    },
  };
