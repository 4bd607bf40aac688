// What a label typed by people says a value is: a custom field's name (`Hiring Manager`, `Personal
// email`, `Mobile 2`). Talent Hub's custom fields are where companies keep the people and contacts the
// schema has no column for; their values are free text to the schema, but a field named for a person or a
// contact holds that person's name, e-mail or number, which the scrubber cannot tell from other text: it
// knows candidates only.
import type { PersonClass } from './pseudonym.js';

const EMAIL = /e[\s_-]?mail/i;
const PHONE = /phone|mobile|\bcell\b|\btel\b|telephone|whats\s*app|\bfax\b/i;
const PROFILE = /linked\s*in/i;
/** A label that is a person's role or relation alone (`Hiring Manager`, `Referred by`, `Reference 2`). */
const ROLE =
  /^(?:primary |secondary |assigned |internal |external )?(?:hiring manager|recruiter|sourcer|coordinator|interviewer|referrer|referred by|referee|reference|emergency contact|contact person|point of contact|spouse|next of kin|manager|supervisor|mentor|buddy)s?(?: ?#? ?\d+)?$/;
/**
 * Words for a person's name written as one (`Nickname`, `Surname`, `FirstName`) or said another way
 * (`Alias`, `AKA`, `Known as`, `Goes by`): a nickname is the name free text calls the candidate by.
 */
const NAME_WORD =
  /\b(?:nick|sur|fore|first|last|full|given|middle|maiden|family|display|preferred|legal|birth)names?\b|\balias(?:es)?\b|\baka\b|\bknown as\b|\bgoes by\b/;
/** Things whose names are no person's (`Company name`, `Name of school`). */
const THINGS =
  'company|employer|project|job|position|role|title|school|university|college|degree|team|department|file|field|stage|state|product|account|agency|vendor|client|brand|event|campaign|course|program|programme|organization|organisation|org|business|site|location|city|country';
const THING_NAME = new RegExp(
  `\\b(?:${THINGS})(?:'s)? names?\\b|\\bnames? of (?:the |your )?(?:${THINGS})\\b`,
);

/**
 * The personal class a label says its values are of (`Hiring Manager Name` or `Referred by` a name,
 * `Personal E-mail` an e-mail, `Mobile 2` a phone, `LinkedIn` a profile URL), or undefined for any other
 * label (`Desired salary`, `Company name`, `Recruiter notes`).
 */
export function labelClass(label: string): PersonClass | undefined {
  const text = label
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[^\p{L}\p{N}'#@]+/gu, ' ')
    .trim();
  if (EMAIL.test(text)) return 'email';
  if (PHONE.test(text)) return 'phone';
  if (PROFILE.test(text)) return 'profile_url';
  if (THING_NAME.test(text)) return undefined;
  if (ROLE.test(text) || /\bnames?\b/.test(text) || NAME_WORD.test(text)) return 'name';
  return undefined;
}

/** Placeholders typed where no one is named. */
const NOBODY = /^(?:n\/?a|none|nil|null|tbd|tbc|unknown|yes|no|true|false|-+|\?+|x)$/i;

/**
 * Whether a value of a field `labelClass` put in `cls` is one (an e-mail has an @, a phone 6 digits or
 * more, a profile URL LinkedIn's host or path, a name letters and at most 6 words): a field named `E-mail
 * consent` holds `yes`, which stays text.
 */
export function looksLike(cls: PersonClass, value: string): boolean {
  const text = value.trim();
  if (text === '' || NOBODY.test(text)) return false;
  switch (cls) {
    case 'email':
      return text.includes('@');
    case 'phone':
      return (text.match(/\d/g)?.length ?? 0) >= 6;
    case 'profile_url':
      return /linkedin\.|(?:^|\/)in\//i.test(text);
    case 'name':
      return /\p{L}/u.test(text) && !text.includes('@') && text.length <= 80 && text.split(/\s+/).length <= 6;
  }
}
