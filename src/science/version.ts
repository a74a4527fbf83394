/**
 * The version of the science library, stored beside every computed value (metrics,
 * classifications, scores) so history is never silently recomputed. Bump it whenever a formula,
 * threshold or classification rule changes its output. Kept in its own module so the browser can
 * read it without bundling the whole library.
 */
export const SCIENCE_VERSION = '0.1.0';
