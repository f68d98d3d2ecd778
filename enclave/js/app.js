// The tutorial's enclave app: f(x) = a·x³ + b·x² + c·x + d.
// Coefficients come from the app developer secret IEXEC_APP_DEVELOPER_SECRET = "a;b;c;d"; x comes from the requester
// secret IEXEC_REQUESTER_SECRET_1. A missing (unset, empty or blank) value is 1.
// With a dataset (the worker decrypts it into IEXEC_IN and names it in IEXEC_DATASET_FILENAME), the dataset's
// coefficients win over the app secret, and its x is used when the requester gives none. The dataset file is either
// the text "a;b;c;d" or a JSON object {"coefficients":"a;b;c;d","x":"..."} whose two members are optional strings.
//
// Number semantics, identical to ../python/app.py (tests compare the two byte for byte):
// - a number is a decimal: [+-]digits[.digits][e[+-]digits] (".5" and "5." too), surrounding blanks ignored,
//   exponent within -1000..1000 and at most 1000 characters;
// - arithmetic is EXACT (arbitrary-precision integers scaled by a power of ten), never binary floating point, so
//   0.1 stays 0.1 and 2^80 stays exact;
// - output numbers are plain JSON numbers with no exponent, no trailing fractional zeros, no "-0": integers print
//   as integers ("3", "-12"), decimals in full ("0.125").
// result.txt is exactly {"x":<x>,"result":<f(x)>} with no trailing newline.
// A bad value is reported by the variable's name only, never its content, and the process exits with code 1.
'use strict';
const fs = require('fs');

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// Only ASCII blanks are trimmed (String.prototype.trim would also drop Unicode spaces Python keeps).
const trimBlanks = (text) => text.replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, '');

class InputError extends Error {}

/** Parses a decimal string into { m: BigInt, s: Number } meaning m·10^-s, or throws InputError naming only `label`. */
function parseDecimal(text, label) {
  if (text === undefined || trimBlanks(text) === '') return { m: 1n, s: 0 };
  const t = trimBlanks(text);
  const match = t.length <= 1000 ? NUMBER.exec(t) : null;
  if (!match) throw new InputError(`${label} is not a number`);
  const exponent = match[2] ? Number(match[2].slice(1)) : 0;
  if (Math.abs(exponent) > 1000) throw new InputError(`${label} is out of range (exponent beyond 1000 in magnitude)`);
  const negative = t.startsWith('-');
  const [intPart, fracPart = ''] = match[1].split('.');
  let m = BigInt((intPart || '0') + fracPart);
  let s = fracPart.length - exponent;
  if (s < 0) { m *= 10n ** BigInt(-s); s = 0; }
  return { m: negative ? -m : m, s };
}

const mul = (p, q) => ({ m: p.m * q.m, s: p.s + q.s });
function add(p, q) {
  const s = Math.max(p.s, q.s);
  return { m: p.m * 10n ** BigInt(s - p.s) + q.m * 10n ** BigInt(s - q.s), s };
}

/** Formats m·10^-s as a JSON number: no exponent, no trailing fractional zeros, no negative zero. */
function format({ m, s }) {
  while (s > 0 && m % 10n === 0n) { m /= 10n; s -= 1; }
  const negative = m < 0n;
  let digits = (negative ? -m : m).toString();
  if (s > 0) {
    digits = digits.padStart(s + 1, '0');
    digits = `${digits.slice(0, digits.length - s)}.${digits.slice(digits.length - s)}`;
  }
  return (negative ? '-' : '') + digits;
}

/** The dataset's { coefficients, x } (each optional), or {} without a dataset; never quotes the file in errors. */
function readDataset() {
  const name = process.env.IEXEC_DATASET_FILENAME;
  if (name === undefined || name === '') return {};
  if (name.includes('/') || name === '.' || name === '..') throw new InputError('IEXEC_DATASET_FILENAME is not a file name');
  const folder = (process.env.IEXEC_IN || '/iexec_in').replace(/\/+$/, '');
  let text;
  try {
    text = fs.readFileSync(`${folder}/${name}`, 'utf8');
  } catch (error) {
    throw new InputError(`the dataset file IEXEC_IN/IEXEC_DATASET_FILENAME cannot be read (${error.code || 'EIO'})`);
  }
  const t = trimBlanks(text);
  if (!t.startsWith('{')) return { coefficients: t };
  let parsed;
  try {
    parsed = JSON.parse(t);
  } catch (error) {
    throw new InputError('the dataset is malformed: it starts with { but is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InputError('the dataset is malformed: it is not a JSON object');
  const dataset = {};
  for (const key of ['coefficients', 'x']) {
    if (!Object.prototype.hasOwnProperty.call(parsed, key)) continue;
    if (typeof parsed[key] !== 'string') throw new InputError(`the dataset is malformed: its ${key} is not a string`);
    dataset[key] = parsed[key];
  }
  return dataset;
}

function main() {
  const out = (process.env.IEXEC_OUT || '/iexec_out').replace(/\/+$/, '');
  const dataset = readDataset();
  const [coefficients, source] = dataset.coefficients !== undefined
    ? [dataset.coefficients, 'the dataset']
    : [process.env.IEXEC_APP_DEVELOPER_SECRET, 'IEXEC_APP_DEVELOPER_SECRET'];
  let parts = ['', '', '', ''];
  if (coefficients !== undefined && trimBlanks(coefficients) !== '') {
    parts = coefficients.split(';');
    if (parts.length !== 4) {
      throw new InputError(`${source} is malformed: expected 4 values separated by ';', got ${parts.length}`);
    }
  }
  const [a, b, c, d] = parts.map((p, i) =>
    parseDecimal(p, `coefficient ${'abcd'[i]} of ${source}`));
  const requesterX = process.env.IEXEC_REQUESTER_SECRET_1;
  const x = (requesterX === undefined || trimBlanks(requesterX) === '') && dataset.x !== undefined
    ? parseDecimal(dataset.x, 'x of the dataset')
    : parseDecimal(requesterX, 'IEXEC_REQUESTER_SECRET_1');

  // Horner form: ((a·x + b)·x + c)·x + d, exact so the order does not change the value.
  const result = add(mul(add(mul(add(mul(a, x), b), x), c), x), d);

  const resultPath = `${out}/result.txt`;
  fs.writeFileSync(resultPath, `{"x":${format(x)},"result":${format(result)}}`);
  fs.writeFileSync(`${out}/computed.json`, JSON.stringify({ 'deterministic-output-path': resultPath }));
  console.log(`f(x) written to ${resultPath}`);
}

try {
  main();
} catch (error) {
  // Our own messages name the variable, never its value; a file system error names the path; anything else is
  // reduced to its type, because a runtime message could quote the input.
  if (error instanceof InputError) console.error(`error: ${error.message}`);
  else if (error.code && error.path) console.error(`error: cannot write ${error.path} (${error.code})`);
  else console.error(`error: unexpected ${error.name}`);
  process.exit(1);
}
