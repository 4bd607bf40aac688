// What a label typed by people says a value is: a custom field's name (`Hiring Manager`, `Personal
// email`, `Mobile 2`). Talent Hub's custom fields are where companies keep the people and contacts the
// schema has no column for; their values are free text to the schema, but a field named for a person or a
// contact holds that person's name, e-mail or number, which the scrubber cannot tell from other text: it
// knows candidates only.
import type { PersonClass } from './pseudonym.js';

const EMAIL = /e[\s_-]?mail/i;
const PHONE = /phone|mobile|\bcell\b|\btel\b|telephone|whats\s*app|\bfax\b/i;
const PROFILE = /linked\s*in/i;
/**
 * A label that is a person's role or relation alone (`Hiring Manager`, `Referred by`, `Reference 2`,
 * `Agency Recruiter`, `Referring Employee`, `Candidate Owner`, `Reports to`, `Spouse`, `Partner`,
 * `Interview panel`), an abbreviation in brackets after it left out (`Hiring Manager (HM)`). A field so
 * named that holds a company (a `Partner` agency) loses its value to the scrubber: the cautious side.
 */
const ROLE =
  /^(?:(?:primary|secondary|assigned|internal|external|agency|line|direct|account|recruiting|candidate) )?(?:hiring manager|recruiter|sourcer|sourced by|coordinator|interviewer|referrer|referred by(?: employee)?|referring employee|referee|reference|emergency contact|contact person|point of contact|spouse|partner|husband|wife|parent|guardian|relative|family contact|next of kin|manager|supervisor|mentor|buddy|owner|reports to|reporting to|(?:interview(?:er)? )?panel(?:ist)?|interviewer panel member)s?(?: ?#? ?\d+)?$/;
/** A bracketed part ending a label (`Hiring Manager (HM)`, `Referrer [internal]`). */
const BRACKETED_END = /\s*[([][^()[\]]*[)\]]\s*$/;
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
  const text = labelText(label);
  if (EMAIL.test(text)) return 'email';
  if (PHONE.test(text)) return 'phone';
  if (PROFILE.test(text)) return 'profile_url';
  if (THING_NAME.test(text)) return undefined;
  if (ROLE.test(text) || /\bnames?\b/.test(text) || NAME_WORD.test(text)) return 'name';
  if (BRACKETED_END.test(label))
    return ROLE.test(labelText(label.replace(BRACKETED_END, ''))) ? 'name' : undefined;
  return undefined;
}

/** A label lower-cased, its punctuation but apostrophes, `#` and `@` made spaces. */
const labelText = (label: string) =>
  label
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[^\p{L}\p{N}'#@]+/gu, ' ')
    .trim();

/**
 * What people type in a personal column where they have no value (`N/A`, `none`, `unknown`, `-`, `?`):
 * nobody's name, address, number or profile (not `Na`, `No` or `Null`, which are family names too).
 */
const PLACEHOLDER = /^\s*(?:n\/a|n\.a\.?|none|unknown|tbd|tbc|-+|\?+|\.+)\s*$/i;

/** Whether a personal column's value is a placeholder for none (see `PLACEHOLDER`): no one to hide. */
export const isPlaceholder = (value: string): boolean => PLACEHOLDER.test(value);

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

/** What stands beside a name in a field's value: e-mail addresses, links and phone numbers. */
const CONTACTS = /\S*@\S*|(?:https?:\/\/|www\.)\S*|\+?\d[\d\s()./-]{4,}\d/g;
/** What parts the names a value lists, and a name from what is typed beside it. */
const BETWEEN_NAMES = /[,;/|&<>()[\]{}"\n\t:]+|\s+(?:and|und|et|y|en|og|och)\s+|\s[-\u2013\u2014]\s/i;
/** The words of a surname written lower case (`Pieter de Vries`, `María de la Cruz`). */
const PARTICLES = new Set(
  'van von der den de del della da das dos du la le di bin ibn al el ter ten zu y'.split(' '),
);
/** Words of job titles, teams and companies, written with capitals like names (`VP Engineering`). */
const NOT_NAMES = new Set(
  'vp svp evp ceo cto cfo coo cio cmo chro hr ta it head director manager lead senior junior principal chief officer president engineering engineer sales marketing finance legal operations product design talent team recruiting recruiter acquisition people partner group inc ltd llc gmbh ag corp co company university the of at for'.split(
    ' ',
  ),
);

/**
 * The names of people a value of a field `labelClass` names for a person holds beside other things, as people
 * fill such fields in: with an e-mail or phone (`Hendrik Jansen <hendrik@acme.example>`, `Anna Schmidt +49
 * 171 1234567`), a title (`Pieter de Vries, CTO`) or another name (`Marta Kowalczyk and Ivo Petrov`). A name
 * is 2 to 5 words, at least two written with a capital, the others particles (`de`, `van`); none a word of a
 * job title or a company's (`VP Engineering`). The value itself is left out: `looksLike` says whether it is
 * one name.
 */
export function namesIn(value: string): string[] {
  const whole = value.trim();
  const out: string[] = [];
  for (const piece of value.replace(CONTACTS, ',').split(BETWEEN_NAMES)) {
    const name = piece.trim().replace(/\s+/g, ' ');
    const words = name.split(' ');
    if (words.length < 2 || words.length > 5 || name === whole || out.includes(name)) continue;
    let capitals = 0;
    const named = words.every((word) => {
      const folded = word.replace(/\.$/, '').toLowerCase();
      if (NOT_NAMES.has(folded)) return false;
      if (PARTICLES.has(word)) return true;
      if (!/^\p{Lu}[\p{L}\p{M}'\u2019.-]*$/u.test(word)) return false;
      capitals++;
      return true;
    });
    if (named && capitals >= 2) out.push(name);
  }
  return out;
}

/**
 * Words of labels for special personal data (GDPR's special categories, and what identifies or is held
 * private beside them): an address, a birth date or age, a national id, a salary or account, gender,
 * nationality or ethnicity, marital or family status, health or disability, religion, politics, union
 * membership, a criminal record. English, and the common German, French, Spanish and Dutch words, matched
 * folded (accents off, `ß` as `ss`). Such a field's values are no name the scrubber could find (`12 Rose
 * Street, Leeds`, `1987-03-04`), so they are replaced whole.
 */
const SPECIAL = new RegExp(
  `\\b(?:${[
    // Where a person lives.
    'address(?:es)?|street|post ?code|postal code|zip(?: ?code)?|place of residence|residential|adresse|anschrift|wohn(?:ort|sitz|adresse|anschrift)|strasse|plz|postleitzahl|domicile|code postal|direccion|domicilio|codigo postal|adres|woonadres|woonplaats|straat|huisnummer',
    // When and where they were born.
    'date of birth|birth ?date|birthday|birthplace|year of birth|place of birth|dob|d o b|age|geburts\\w*|alter|date de naissance|naissance|fecha de nacimiento|nacimiento|edad|geboorte\\w*|leeftijd',
    // Numbers a state gives them.
    'national (?:id|identity|insurance|number)|ni number|nino|ssn|social (?:security|insurance)|tax (?:id|number|code)|passport|id card|identity (?:card|number|document)|(?:personal|national|government) id|driv(?:er s|ers|ing) licen[cs]e|residence permit|work permit|visa|immigration|citizenship|personalausweis|ausweis\\w*|reisepass|steuer ?id|steuernummer|sozialversicherung\\w*|securite sociale|nir|passeport|carte d identite|dni|nie|nif|pasaporte|seguridad social|documento de identidad|bsn|burgerservicenummer|paspoort|identiteitskaart|aadhaar|personnummer|pesel',
    // What they earn and where it is paid.
    'salary|salaries|compensation|remuneration|wage|wages|pay|ctc|iban|bank account|bank details|sort code|gehalt\\w*|lohn\\w*|verguetung|vergutung|bankverbindung|kontonummer|salaire\\w*|pretentions salariales|salario\\w*|sueldo|remuneracion|salaris\\w*|loon\\w*',
    // Who they are.
    'gender|sex|pronouns?|sexual orientation|geschlecht|sexuelle orientierung|sexe|genre|orientation sexuelle|sexo|genero|orientacion sexual|geslacht',
    'nationality|ethnic\\w*|race|country of (?:birth|origin)|staatsangehorigkeit|staatsangehoerigkeit|nationalitat|nationalitaet|herkunft|nationalite|origine ethnique|nacionalidad|etnia|nationaliteit|etniciteit',
    'marital\\w*|civil status|family status|dependants?|dependents?|children|pregnan\\w*|familienstand|situation familiale|etat civil|estado civil|burgerlijke sta(?:at|nd)',
    'health|medical|disabilit\\w*|disabled|handicap\\w*|illness|veteran|gesundheit\\w*|behinderung\\w*|schwerbehindert\\w*|krankheit\\w*|sante|maladie|salud|discapacidad|enfermedad|gezondheid|beperking|ziekte\\w*',
    'religio\\w*|faith|political|trade union|union membership|konfession|gewerkschaft\\w*|confession|syndica\\w*|sindica\\w*|godsdienst|geloof|vakbond\\w*',
    'criminal|convictions?|vorstrafen?|fuhrungszeugnis|casier judiciaire|antecedentes penales|strafblad',
  ].join('|')})\\b`,
);
/** Addresses and the like that are no person's home (`Company address`; an e-mail address is a contact). */
const NOT_SPECIAL =
  /\b(?:e ?mail|web|ip|mac|company|office|business|billing|site|url|server|work) address(?:es)?\b|\baddress book\b/g;

/** Whether a label (a custom field's name or description) is one for special personal data (see `SPECIAL`). */
function specialLabel(label: string): boolean {
  const text = label
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(NOT_SPECIAL, ' ');
  return SPECIAL.test(text);
}

/**
 * Whether a custom field holds special personal data by its definition (`Home address`, `Date of birth`,
 * `National ID`, `Gehaltsvorstellung`, or a description that says so): its values are then replaced whole
 * (`[REDACTED]`) where the policy scrubs them, and searched by the leak scan. A field named for a person or
 * a contact (`labelClass`) is not: its values are faked as that class.
 */
export function sensitiveField(definition: { name?: unknown; description?: unknown }): boolean {
  const { name, description } = definition;
  if (typeof name === 'string' && labelClass(name) !== undefined) return false;
  return [name, description].some((label) => typeof label === 'string' && specialLabel(label));
}
