import type { TableName } from '@talent-export/schema';

export interface PartTruth {
  file: string;
  first: string;
  last: string;
  /** File entries, markers included. */
  entries: number;
  files: number;
  markers: number;
  bytes: number;
  /** Candidate folders in the part. */
  candidates: number;
}

/** What a correct reader must find in the generated export; written as `truth.json`. */
export interface GroundTruth {
  seed: number;
  contractId: string;
  flat: boolean;
  edgeCases: boolean;
  tables: Record<TableName, { rows: number; entry: string }>;
  attachments: {
    /** Real files, markers excluded. */
    files: number;
    markers: number;
    /** Bytes of real files. */
    bytes: number;
    /** Candidates with at least one real file. */
    candidates: number;
    byKind: { public: number; private: number; miscellaneous: number };
    parts: PartTruth[];
  };
  manifest: { files: string[]; totalFiles: number; exportedFiles: number; failedFiles: number };
  /** Rows with a reference to a missing row, by check `<table>.<column> -> <table>.<column>`. */
  orphans: Record<string, number>;
  attachmentsWithoutCandidate: string[];
  candidatesWithoutAttachments: string[];
}
