/** The jobs queue's messages (src/jobs.ts runs them) and their pace, for whoever starts one. */
export type Job = { kind: "confirmations"; blog: string };

/** Confirmation mails per step of an imported list (the providers' batch), and the pause between steps. */
export const CONFIRMATIONS_PER_STEP = 100;
export const STEP_SECONDS = 60;
