/**
 * Polite screen-reader announcements ("Patient saved", "12 patients found") through one live
 * region that exists from the first render: regions added together with their text are often
 * not read, so messages are always written into this one.
 */
export const ANNOUNCER_ID = 'announcer';

let timer: ReturnType<typeof setTimeout> | undefined;

export function announce(message: string): void {
  const region = document.getElementById(ANNOUNCER_ID);
  if (!region) return;
  // Clearing first makes a repeated message ("Saved", "Saved") count as a change.
  region.textContent = '';
  clearTimeout(timer);
  timer = setTimeout(() => {
    region.textContent = message;
  }, 50);
}
