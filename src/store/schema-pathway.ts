/** Tables of the clinical pathway (screening leads, assessment, decision, consent, custody, procedure, adverse events). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PathwayTables {}
