/** How fast the board reads the records a dataset holds, where lanes cannot read their own cards from Dataverse. */

/**
 * Records read into cards before the first paint; the rest are read `READ_STEP` a frame after it, the lanes saying
 * "counting" meanwhile. Only figures are read up front (texts when a card is shown), but the first passes over a page
 * run in cold code, and a whole 20,000-row view read in one task was a long task of several hundred milliseconds.
 */
export const FIRST_PAINT_RECORDS = 250;

/** Records read into cards in one task after the first paint: about 10 ms on a loaded machine, far from a long task. */
export const READ_STEP = 2000;
