import type { FileUpload as Upload } from 'graphql-upload/processRequest.mjs' with { 'resolution-mode': 'import' };

/** The value an `Upload` argument resolves to (graphql-upload is ESM-only; Node 20.19+ require()s it). */
export type FileUpload = Upload;
