/** Tables of the outcomes capability (instruments, schedules, invitations, responses, scores). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface OutcomesTables {}
