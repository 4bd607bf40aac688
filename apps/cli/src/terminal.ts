// Text said on stderr, for a person at a terminal.

/** Control characters but tab and line feed (ESC, BEL, CR ...), C1 controls, and the bidi controls. */
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with what would drive the terminal or turn a line around shown as U+FFFD: messages name files of
 * the export, and a file named `notes\x1b]0;…\x07\x1b[2J.txt` beside the zips retitled the terminal and
 * cleared the screen when extract, bundle or join said it was ignored (inspect's summary already did this).
 */
export const terminalText = (text: string): string => text.replace(UNPRINTABLE, '\ufffd');
