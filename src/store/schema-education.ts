/** Tables of the education capability (articles, comments, views). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EducationTables {}
