/**
 * The control characters that are no space (NUL, DEL...), as a character class's inside, left in a value by
 * a broken encoding or a program's bug: they show nothing. A surname stored as "Wether\0spoon" is
 * Wetherspoon to whoever reads it; the decoder counts name cells holding one (`TableStats.controlNames`).
 */
export const CONTROL_CHARS = '\\u0000-\\u0008\\u000e-\\u001f\\u007f';
const CONTROLS = new RegExp(`[${CONTROL_CHARS}]`, 'g');

/** `text` without its control characters that are no space (see `CONTROL_CHARS`). */
export const withoutControls = (text: string): string => text.replace(CONTROLS, '');
