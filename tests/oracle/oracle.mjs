// Differential-test oracle: answers a batch of cases with ethers v6 and the iexec SDK's own code paths.
// Usage: node oracle.mjs <node_modules dir>  (a JSON request on stdin, a JSON answer on stdout).
// Each section of the request is an array of cases; the answer has the same sections, one result per case, in order.
// A case that throws answers {"error": "<message>"} so the caller can compare error messages too.
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const nodeModules = process.argv[2];
if (!nodeModules) {
  process.stderr.write('usage: node oracle.mjs <node_modules dir>\n');
  process.exit(2);
}
const load = (relative) => import(pathToFileURL(path.join(nodeModules, relative)).href);

const ethers = await load('ethers/lib.esm/index.js');
const sdkPush = await load('iexec/dist/esm/common/sms/push.js');
const sdkSig = await load('iexec/dist/esm/common/utils/sig-utils.js');
const sdkValidator = await load('iexec/dist/esm/common/utils/validator.js');
const sdkOrderbook = await load('iexec/dist/esm/common/market/orderbook.js');
const sdkUtils = await load('iexec/dist/esm/common/utils/utils.js');

// EIP-712 member lists as PoCo IexecLibOrders_v5 declares them (protocol facts, restated here so the oracle does
// not read them from the code under test).
const ORDER_TYPES = {
  AppOrder: [
    ['app', 'address'], ['appprice', 'uint256'], ['volume', 'uint256'], ['tag', 'bytes32'],
    ['datasetrestrict', 'address'], ['workerpoolrestrict', 'address'], ['requesterrestrict', 'address'], ['salt', 'bytes32'],
  ],
  DatasetOrder: [
    ['dataset', 'address'], ['datasetprice', 'uint256'], ['volume', 'uint256'], ['tag', 'bytes32'],
    ['apprestrict', 'address'], ['workerpoolrestrict', 'address'], ['requesterrestrict', 'address'], ['salt', 'bytes32'],
  ],
  WorkerpoolOrder: [
    ['workerpool', 'address'], ['workerpoolprice', 'uint256'], ['volume', 'uint256'], ['tag', 'bytes32'],
    ['category', 'uint256'], ['trust', 'uint256'], ['apprestrict', 'address'], ['datasetrestrict', 'address'],
    ['requesterrestrict', 'address'], ['salt', 'bytes32'],
  ],
  RequestOrder: [
    ['app', 'address'], ['appmaxprice', 'uint256'], ['dataset', 'address'], ['datasetmaxprice', 'uint256'],
    ['workerpool', 'address'], ['workerpoolmaxprice', 'uint256'], ['requester', 'address'], ['volume', 'uint256'],
    ['tag', 'bytes32'], ['category', 'uint256'], ['trust', 'uint256'], ['beneficiary', 'address'],
    ['callback', 'address'], ['params', 'string'], ['salt', 'bytes32'],
  ],
};
const DOMAIN_TYPE = [
  { name: 'name', type: 'string' }, { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' },
];
const members = (type) => ORDER_TYPES[type].map(([name, t]) => ({ name, type: t }));

const guard = async (fn) => {
  try {
    return await fn();
  } catch (error) {
    return { error: error.shortMessage ?? error.message ?? String(error) };
  }
};

// A loopback stand-in for the SMS: every HEAD says "no such secret", every write succeeds, and each write's
// method, URL, Authorization header and raw body bytes are recorded.
const captured = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method === 'HEAD') {
      res.statusCode = 404;
      res.end();
      return;
    }
    captured.push({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization ?? null,
      contentType: req.headers['content-type'] ?? null,
      bodyHex: ethers.hexlify(Buffer.concat(chunks)),
    });
    res.statusCode = 200;
    res.end();
  });
});

// A loopback market that gives every request the current case's status, content type and body, so the SDK's own
// orderbook code words the error a market answer draws (issue 17: MarketClient's messages came from a hand-typed list).
let marketAnswer = null;
const marketServer = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.statusCode = marketAnswer.status;
    res.setHeader('Content-Type', marketAnswer.contentType);
    res.end(marketAnswer.body);
  });
});

async function marketErrorCase({ status, contentType, body, closedPort }) {
  marketAnswer = { status, contentType, body };
  const api = `http://127.0.0.1:${closedPort ?? marketServer.address().port}`;
  try {
    await sdkOrderbook.fetchAppOrderbook({ chainId: '134' }, api, { app: '0x' + '11'.repeat(20) });
  } catch (error) {
    return { message: error.message.replaceAll(api, '{api}') };
  }
  throw new Error('the SDK accepted the answer');
}

// The SDK's multiaddr conversions (what iexec app show prints for app.multiaddr, and what iexec app deploy writes).
function multiaddrCase({ hex }) {
  const human = sdkUtils.multiaddrHexToHuman(hex);
  return { human, bytesHex: '0x' + sdkUtils.humanToMultiaddrBuffer(human).toString('hex') };
}

async function smsCase({ privateKey, kind, name, value, target }) {
  const contracts = { signer: new ethers.Wallet(privateKey), provider: undefined };
  const smsURL = `http://127.0.0.1:${server.address().port}`;
  const before = captured.length;
  switch (kind) {
    case 'requester': await sdkPush.pushRequesterSecret(contracts, smsURL, name, value); break;
    case 'app': await sdkPush.pushAppSecret(contracts, smsURL, target, value); break;
    case 'web2': await sdkPush.pushWeb2Secret(contracts, smsURL, name, value); break;
    case 'web3': await sdkPush.pushWeb3Secret(contracts, smsURL, target, value); break;
    default: throw new Error(`unknown secret kind ${kind}`);
  }
  if (captured.length !== before + 1) throw new Error(`expected one write, saw ${captured.length - before}`);
  return captured[before];
}

function addressCase({ privateKey }) {
  const wallet = new ethers.Wallet(privateKey);
  const publicKey = ethers.SigningKey.computePublicKey(privateKey, false);
  return {
    address: ethers.computeAddress(privateKey),
    publicKey,
    // the iexec CLI's wallet.json: JSON.stringify({ privateKey, publicKey, address }, null, 2)
    walletJson: JSON.stringify({ privateKey: wallet.privateKey, publicKey, address: wallet.address }, null, 2),
  };
}

async function orderCase({ type, domain, message, privateKey, consumed, taskIndex }) {
  const types = { [type]: members(type) };
  const ethersHash = ethers.TypedDataEncoder.hash(domain, types, message);
  const sdkHash = sdkSig.hashEIP712({ types: { EIP712Domain: DOMAIN_TYPE, ...types }, domain, primaryType: type, message });
  const sign = await new ethers.Wallet(privateKey).signTypedData(domain, types, message);
  const result = { ethersHash, sdkHash, sign, domainSeparator: ethers.TypedDataEncoder.hashDomain(domain) };
  if (consumed !== undefined) {
    result.dealId = ethers.solidityPackedKeccak256(['bytes32', 'uint256'], [ethersHash, consumed]);
    result.taskId = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(['bytes32', 'uint256'], [result.dealId, taskIndex]));
  }
  return result;
}

// An RLC amount as iexec account deposit/withdraw read it (nRlcAmountSchema), and the nRLC shown back as RLC (formatRLC).
async function amountCase({ text }) {
  const nRlc = await sdkValidator.nRlcAmountSchema().validate(text);
  return { nRlc, rlc: sdkUtils.formatRLC(nRlc) };
}

async function tagCase({ text, allowAgnosticTee }) {
  const value = await sdkValidator.tagSchema({ allowAgnosticTee }).validate(text);
  return { tag: value };
}

function keystoreFromEthers({ privateKey, password, n }) {
  const account = { address: ethers.computeAddress(privateKey), privateKey };
  return { json: ethers.encryptKeystoreJsonSync(account, password, { scrypt: { N: n } }) };
}

function keystoreIntoEthers({ json, password }) {
  const account = ethers.decryptKeystoreJsonSync(json, password);
  const parsed = JSON.parse(json);
  // Re-encrypt with the same salt, IV, UUID and cost: ethers' own file, saved the way the iexec CLI saves it.
  const again = ethers.encryptKeystoreJsonSync(account, password, {
    salt: '0x' + parsed.Crypto.kdfparams.salt,
    iv: '0x' + parsed.Crypto.cipherparams.iv,
    uuid: '0x' + parsed.id.replaceAll('-', ''),
    scrypt: { N: parsed.Crypto.kdfparams.n, r: parsed.Crypto.kdfparams.r, p: parsed.Crypto.kdfparams.p },
  });
  return { address: account.address, privateKey: account.privateKey, cliFile: JSON.stringify(JSON.parse(again), null, 2) };
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
await new Promise((resolve) => marketServer.listen(0, '127.0.0.1', resolve));
const answer = {};
try {
  const sections = {
    addresses: addressCase,
    sms: smsCase,
    orders: orderCase,
    tags: tagCase,
    amounts: amountCase,
    keystoreFromEthers,
    keystoreIntoEthers,
    marketErrors: marketErrorCase,
    multiaddrs: multiaddrCase,
  };
  for (const [section, handler] of Object.entries(sections)) {
    const cases = request[section] ?? [];
    answer[section] = [];
    // Sequential on purpose: SMS captures are matched to cases by order.
    for (const item of cases) answer[section].push(await guard(() => handler(item)));
  }
} finally {
  server.close();
  marketServer.close();
}
process.stdout.write(JSON.stringify(answer));
