// Microphone, camera and screen: asking the browser for them, and what to say when it refuses.

export const CAMERA = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15, max: 24 } };

/** A sentence for the learner about why the device could not be used. */
export function deviceMessage(error, what) {
  const name = error && error.name;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return `Permission to use your ${what} was refused. Allow it in the browser's site settings, then try again.`;
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return `No ${what} was found. Plug one in, or check that it is enabled.`;
  if (name === 'NotReadableError' || name === 'AbortError')
    return `Your ${what} is in use by another application or could not be started.`;
  return `Could not use your ${what}: ${(error && error.message) || error}.`;
}

/**
 * One track from getUserMedia, or null with a note pushed to `notes` (we join without it).
 * A refused microphone throws: joining a call you cannot hear in is not what was asked.
 */
export async function getTrack(constraints, what, notes) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia)
    throw new Error('This page cannot use a microphone or camera (it needs HTTPS).');
  try {
    const stream = await navigator.mediaDevices.getUserMedia(constraints);
    return stream.getTracks()[0];
  } catch (error) {
    const message = deviceMessage(error, what);
    if (what === 'microphone' && error.name === 'NotAllowedError') throw new Error(message);
    notes.push(what === 'microphone' ? `${message} You joined listening only.` : `${message} You joined with audio only.`);
    return null;
  }
}
