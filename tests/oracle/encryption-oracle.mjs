// Encryption oracle for results and datasets: the installed iexec SDK's own code (result-utils.js decryptResult,
// encryption-utils.js generateAes256Key / encryptAes256Cbc / sha256Sum) and node's crypto, on files named in the request.
// Usage: node encryption-oracle.mjs <node_modules dir>, a JSON array of operations on stdin, a JSON array of answers on
// stdout (one per operation; a failed operation answers {"error": "<message>"}).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const nodeModules = process.argv[2];
const sdkRoot = process.argv[3] || 'iexec';
const load = (relative) => import(pathToFileURL(path.join(nodeModules, relative)).href);
const { decryptResult } = await load(`${sdkRoot}/dist/esm/common/utils/result-utils.js`);
const { generateAes256Key, encryptAes256Cbc, sha256Sum } = await load(`${sdkRoot}/dist/esm/common/utils/encryption-utils.js`);
const JSZip = (await load('jszip/lib/index.js')).default;

let input = '';
for await (const chunk of process.stdin) input += chunk;
const answers = [];
for (const op of JSON.parse(input)) {
  try {
    answers.push(await run(op));
  } catch (e) {
    answers.push({ error: String(e.message) });
  }
}
process.stdout.write(JSON.stringify(answers));

async function run(op) {
  switch (op.op) {
    case 'generateKeyPair': {
      // As `iexec result generate-encryption-keypair` does it.
      const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
        modulusLength: op.bits || 4096,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
      return { privateKey, publicKey };
    }
    case 'decryptResult': {
      const plain = await decryptResult(fs.readFileSync(op.zip), fs.readFileSync(op.key, 'utf8'));
      fs.writeFileSync(op.out, plain);
      return { length: plain.length };
    }
    case 'generateAes256Key':
      return { key: generateAes256Key() };
    case 'encryptDataset': {
      const encrypted = await encryptAes256Cbc(fs.readFileSync(op.in), op.key);
      fs.writeFileSync(op.out, encrypted);
      return { checksum: await sha256Sum(encrypted) };
    }
    case 'decryptDataset': {
      // What the pre-compute does (CipherUtils.aesDecrypt), with node's OpenSSL: IV = first 16 bytes, AES-256-CBC.
      const data = fs.readFileSync(op.in);
      const decipher = crypto.createDecipheriv('aes-256-cbc', Buffer.from(op.key, 'base64'), data.subarray(0, 16));
      fs.writeFileSync(op.out, Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]));
      return {};
    }
    case 'sha256':
      return { checksum: '0x' + crypto.createHash('sha256').update(fs.readFileSync(op.in)).digest('hex') };
    case 'encryptResult': {
      // The post-compute's current form, written independently: IV ‖ AES-256-CBC(zip), PKCS#1 v1.5 RSA of the raw key.
      const key = crypto.randomBytes(32);
      const iv = crypto.randomBytes(16);
      const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
      const payload = Buffer.concat([iv, cipher.update(fs.readFileSync(op.plain)), cipher.final()]);
      const wrapped = crypto.publicEncrypt({ key: op.publicKey, padding: crypto.constants.RSA_PKCS1_PADDING }, key);
      const zip = new JSZip();
      zip.file('iexec_out.zip.aes', payload);
      zip.file('aes-key.rsa', wrapped);
      fs.writeFileSync(op.out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
      return {};
    }
    case 'legacyResult': {
      // The legacy form the SDK still opens (iexec-common CipherHelper): a base64 AES-128 key, RSA-encrypted and
      // base64-encoded; the payload base64 of AES-128-ECB.
      const keyText = crypto.randomBytes(16).toString('base64');
      const cipher = crypto.createCipheriv('aes-128-ecb', Buffer.from(keyText, 'base64'), null);
      const payload = Buffer.concat([cipher.update(fs.readFileSync(op.plain)), cipher.final()]).toString('base64');
      const wrapped = crypto.publicEncrypt({ key: op.publicKey, padding: crypto.constants.RSA_PKCS1_PADDING }, Buffer.from(keyText)).toString('base64');
      const zip = new JSZip();
      zip.file('iexec_out.zip.aes', payload);
      zip.file('aes-key.rsa', wrapped);
      fs.writeFileSync(op.out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
      return {};
    }
    default:
      throw new Error(`unknown op ${op.op}`);
  }
}
