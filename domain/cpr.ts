// The one Danish CPR-number detector: structured input, imports and co-edited notes all ask here, in the browser and on the server.
//
// Pure TypeScript with no Node-only APIs, because the note editor bundles it to block a CPR number
// before it is typed into a shared document. Matches carry positions only, never the digits, so a
// match can be logged without leaking the number it found.

export interface CprMatch {
  /** Offset of the first digit in UTF-16 code units, as `String.prototype.slice` counts. */
  index: number;
  /** From the first digit of the date to the last digit of the serial, separator included. */
  length: number;
  /** 'separated': DDMMYY-SSSS (or with a space or a Unicode dash); 'bare': ten digits in a row. */
  kind: 'separated' | 'bare';
}

export const CPR_MESSAGE = {
  da: 'Teksten ser ud til at indeholde et CPR-nummer. Personnumre må ikke gemmes i Samspil – fjern det eller brug en pseudonym sagsnøgle.',
  en: 'The text appears to contain a CPR number. Personal ID numbers must not be stored in Samspil – remove it or use a pseudonymous case key.',
} as const;

export const CPR_MASK = 'XXXXXX-XXXX';

// Hyphen, U+2010–U+2015 and the minus sign: word processors and phones turn a typed hyphen into these.
const DASHES = '\\-\\u2010-\\u2015\\u2212';
// A no-break space is what editors insert to keep "010190 1234" on one line.
const SPACES = ' \\u00A0\\u202F';

// Digits may not touch another digit on either side (that is a longer number: an IBAN, an amount,
// a 12-digit id) nor a letter after them (a code like "0101901234AB"). A letter before is checked in
// code, because "cpr0101901234" is a number someone meant to write down.
const CANDIDATE = new RegExp(`(?<!\\p{N})\\d{6}[${DASHES}${SPACES}]?\\d{4}(?![\\p{L}\\p{N}])`, 'gu');
const BARE_LENGTH = 10;

// The names clerks write a CPR number under; the whole name is matched so that one glued to the
// digits ("cprnr0101901234") ends right where they start.
const KEYWORD = /cpr(?:[-\u2010-\u2015\u2212.\s]?n(?:umme)?r)?|personn(?:umme)?r|pers\.?\s?nr/gi;
const LONGEST_KEYWORD = 'personnummer'.length;
/** How far before the digits a keyword may end and still say that the digits are a CPR number. */
export const KEYWORD_REACH = 20;

// A Danish bank account is written reg.nr-account, four digits and ten: "1234-1234567890".
const BANK_REGISTRATION_BEFORE = new RegExp(`(?:^|[^\\p{N}])\\d{4}[${DASHES}]$`, 'u');

const LETTER = /\p{L}/u;
const KEY_SHAPE = new RegExp(`^(\\d{6})[${DASHES}${SPACES}]?\\d{4}$`, 'u');
const SIX_DIGITS = /^\d{6}$/;
const TEN_DIGITS = /^\d{10}$/;
const MOD11_WEIGHTS = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether DDMMYY is a calendar date in the 1900s or the 2000s (the century is not in the number). */
export function isValidCprDate(ddmmyy: string): boolean {
  return SIX_DIGITS.test(ddmmyy) && isDateAt(ddmmyy, 0);
}

/** The pre-2007 check: weighted digit sum divisible by 11. Numbers issued since need not pass it. */
export function mod11Holds(tenDigits: string): boolean {
  return TEN_DIGITS.test(tenDigits) && mod11HoldsAt(tenDigits, 0);
}

/**
 * Whether a whole value meant as an identifier (a case key, a reference) is shaped like a CPR number:
 * a real date and four digits, with or without a separator. Stricter than the text scan, because an
 * identifier has no context to tell a CPR number from a reference; used where only pseudonymous
 * keys belong.
 */
export function isCprShapedKey(value: string): boolean {
  const m = KEY_SHAPE.exec(value.trim());
  return m !== null && isDateAt(m[1], 0);
}

/** Every CPR number in the text, in order of appearance. */
export function findCprNumbers(text: string): CprMatch[] {
  return scan(text, Infinity);
}

export function containsCpr(text: string): boolean {
  return scan(text, 1).length > 0;
}

/** The text with every CPR number replaced by XXXXXX-XXXX, safe for logs and previews. */
export function maskCpr(text: string): string {
  let masked = '';
  let from = 0;
  for (const match of findCprNumbers(text)) {
    masked += text.slice(from, match.index) + CPR_MASK;
    from = match.index + match.length;
  }
  return masked + text.slice(from);
}

// The checks below read digits in place rather than slicing: a note pasted full of numbers must
// still scan within a keystroke.
function scan(text: string, limit: number): CprMatch[] {
  const found: CprMatch[] = [];
  // A fresh regex per call: a shared /g regex carries lastIndex between callers.
  const candidates = new RegExp(CANDIDATE.source, CANDIDATE.flags);
  for (let m = candidates.exec(text); m !== null && found.length < limit; m = candidates.exec(text)) {
    const index = m.index;
    const length = m[0].length;
    if (!isDateAt(text, index)) continue;
    if (index > 0 && LETTER.test(text[index - 1]) && keywordDistance(text, index) !== 0) continue;
    if (length !== BARE_LENGTH) {
      found.push({ index, length, kind: 'separated' });
    } else if (isBareCpr(text, index)) {
      found.push({ index, length, kind: 'bare' });
    }
  }
  return found;
}

function digitAt(text: string, i: number): number {
  return text.charCodeAt(i) - 48;
}

function isDateAt(text: string, i: number): boolean {
  const day = digitAt(text, i) * 10 + digitAt(text, i + 1);
  const month = digitAt(text, i + 2) * 10 + digitAt(text, i + 3);
  const year = digitAt(text, i + 4) * 10 + digitAt(text, i + 5);
  if (month < 1 || month > 12 || day < 1) return false;
  // 1900 was not a leap year but 2000 was, so YY % 4 === 0 is a leap year in at least one century.
  const leapDay = month === 2 && year % 4 === 0 ? 1 : 0;
  return day <= DAYS_IN_MONTH[month - 1] + leapDay;
}

function mod11HoldsAt(text: string, i: number): boolean {
  let sum = 0;
  for (let k = 0; k < 10; k++) sum += digitAt(text, i + k) * MOD11_WEIGHTS[k];
  return sum % 11 === 0;
}

// Ten digits in a row are also phone-ish ids, account numbers and references, so a valid date is not
// enough. Modulus 11 alone would miss numbers issued since 2007, hence the other signs: 1 January
// (the date given to people whose birthday is unknown) and a CPR keyword near, before or after.
function isBareCpr(text: string, index: number): boolean {
  if (BANK_REGISTRATION_BEFORE.test(text.slice(Math.max(0, index - 6), index))) return false;
  // People whose birthday is unknown are registered on 1 January.
  if (text.startsWith('0101', index)) return true;
  return mod11HoldsAt(text, index) || keywordDistance(text, index) <= KEYWORD_REACH || keywordAfter(text, index + BARE_LENGTH);
}

/** Whether a keyword starts within reach after the digits ("0101901234 (CPR)", "1503841234 er hans personnummer"). */
function keywordAfter(text: string, end: number): boolean {
  const after = text.slice(end, end + KEYWORD_REACH + LONGEST_KEYWORD);
  const keywords = new RegExp(KEYWORD.source, KEYWORD.flags);
  const k = keywords.exec(after);
  return k !== null && k.index <= KEYWORD_REACH;
}

/** Characters between the end of the nearest keyword before `index` and `index`; Infinity if none is in reach. */
function keywordDistance(text: string, index: number): number {
  const before = text.slice(Math.max(0, index - KEYWORD_REACH - LONGEST_KEYWORD), index);
  const keywords = new RegExp(KEYWORD.source, KEYWORD.flags);
  let nearest = Infinity;
  for (let k = keywords.exec(before); k !== null; k = keywords.exec(before)) {
    nearest = Math.min(nearest, before.length - k.index - k[0].length);
  }
  return nearest;
}
