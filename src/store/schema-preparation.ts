/** Tables of the preparation capability (protocols, preparation records). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PreparationTables {}
