// Regenerates tests/vectors/iexec-test-vectors.json from the pinned iexec SDK (8.24.0) and ethers (6.15.0) in
// tools/node: every output below is computed by their code, never typed in. Only the INPUTS are restated here (a key,
// names, values, order fields, salts); a test (Vectors/VectorFileTests.cs) runs this script and requires its output
// to equal the committed file byte for byte, so the file can never drift from what the SDK computes.
// Usage: node vectors.mjs <node_modules dir>  (the JSON document on stdout).
import http from 'node:http';
import crypto from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const nodeModules = process.argv[2];
if (!nodeModules) {
  process.stderr.write('usage: node vectors.mjs <node_modules dir>\n');
  process.exit(2);
}
const load = (relative) => import(pathToFileURL(path.join(nodeModules, relative)).href);
const ethers = await load('ethers/lib.esm/index.js');
const sdkPush = await load('iexec/dist/esm/common/sms/push.js');
const sdkSig = await load('iexec/dist/esm/common/utils/sig-utils.js');
const sdkUtils = await load('iexec/dist/esm/common/utils/utils.js');
const sdkValidator = await load('iexec/dist/esm/common/utils/validator.js');
const sdkConfig = await load('iexec/dist/esm/common/utils/config.js');
const sdkOrderbook = await load('iexec/dist/esm/common/market/orderbook.js');
const iexecNative = (await load('iexec/dist/esm/common/generated/@iexec/poco/IexecInterfaceNative.js')).default;
const appRegistry = (await load('iexec/dist/esm/common/generated/@iexec/poco/AppRegistry.js')).default;
const sdkVersion = JSON.parse(await (await import('node:fs/promises')).readFile(path.join(nodeModules, 'iexec/package.json'), 'utf8')).version;

// ---- inputs -------------------------------------------------------------------------------------------------------
const privateKey = '0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const wallet = new ethers.Wallet(privateKey);
const address = wallet.address;
const ZERO = ethers.ZeroAddress;
const ZERO32 = ethers.ZeroHash;
const APP = '0x1111111111111111111111111111111111111111';
const DATASET = '0x2222222222222222222222222222222222222222';
const WORKERPOOL = '0x3333333333333333333333333333333333333333';
const bytes32 = (n) => ethers.toBeHex(n, 32);

// ---- loopback capture of what the SDK sends (SMS writes, market queries) -----------------------------------------
const captured = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    captured.push({ method: req.method, url: req.url, authorization: req.headers.authorization ?? null });
    if (req.method === 'HEAD') { res.statusCode = 404; res.end(); return; }
    res.setHeader('content-type', 'application/json');
    res.statusCode = 200;
    res.end(req.method === 'GET' ? JSON.stringify({ ok: true, count: 0, orders: [] }) : '');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const loopback = `http://127.0.0.1:${server.address().port}`;
const lastWrite = () => [...captured].reverse().find((c) => c.method !== 'HEAD' && c.method !== 'GET');

// ---- SMS challenges: the SDK signs them and sends the signature as Authorization ------------------------------------
// The preimage is restated (domain hash, owner or target, keccak of key, keccak of value); the SDK's signature over
// keccak(preimage) must recover our address, which proves the restated preimage is the one the SDK hashed.
const keccakUtf8 = (text) => ethers.keccak256(ethers.toUtf8Bytes(text));
const domainHash = keccakUtf8('IEXEC_SMS_DOMAIN');
async function smsVector(push, parts) {
  await push();
  const write = lastWrite();
  const preimage = ethers.concat(parts);
  const challenge = ethers.keccak256(preimage);
  if (ethers.verifyMessage(ethers.getBytes(challenge), write.authorization) !== address) {
    throw new Error(`the SDK signed another challenge than the restated preimage for ${write.url}`);
  }
  return { preimage, challenge, eip191Digest: ethers.hashMessage(ethers.getBytes(challenge)), authorization: write.authorization };
}
const contracts = { signer: wallet, provider: undefined };
const sms = {
  requesterSecret_x1_eq_1: await smsVector(() => sdkPush.pushRequesterSecret(contracts, loopback, 'x1', '1'),
    [domainHash, address, keccakUtf8('x1'), keccakUtf8('1')]),
  'appSecret_0x1111_value_1;1;1;1': await smsVector(() => sdkPush.pushAppSecret(contracts, loopback, APP, '1;1;1;1'),
    [domainHash, APP, keccakUtf8('1'), keccakUtf8('1;1;1;1')]),
  web2_resultEncryptionKey_abc: await smsVector(() => sdkPush.pushWeb2Secret(contracts, loopback, 'iexec-result-encryption-public-key', 'abc'),
    [domainHash, address, keccakUtf8('iexec-result-encryption-public-key'), keccakUtf8('abc')]),
  web3_0x2222_datasetkey: await smsVector(() => sdkPush.pushWeb3Secret(contracts, loopback, DATASET, 'datasetkey'),
    [domainHash, DATASET, keccakUtf8('datasetkey')]),
};

// ---- EIP-712 orders -----------------------------------------------------------------------------------------------
const ORDER_TYPES = {
  AppOrder: [['app', 'address'], ['appprice', 'uint256'], ['volume', 'uint256'], ['tag', 'bytes32'],
    ['datasetrestrict', 'address'], ['workerpoolrestrict', 'address'], ['requesterrestrict', 'address'], ['salt', 'bytes32']],
  DatasetOrder: [['dataset', 'address'], ['datasetprice', 'uint256'], ['volume', 'uint256'], ['tag', 'bytes32'],
    ['apprestrict', 'address'], ['workerpoolrestrict', 'address'], ['requesterrestrict', 'address'], ['salt', 'bytes32']],
  WorkerpoolOrder: [['workerpool', 'address'], ['workerpoolprice', 'uint256'], ['volume', 'uint256'], ['tag', 'bytes32'],
    ['category', 'uint256'], ['trust', 'uint256'], ['apprestrict', 'address'], ['datasetrestrict', 'address'],
    ['requesterrestrict', 'address'], ['salt', 'bytes32']],
  RequestOrder: [['app', 'address'], ['appmaxprice', 'uint256'], ['dataset', 'address'], ['datasetmaxprice', 'uint256'],
    ['workerpool', 'address'], ['workerpoolmaxprice', 'uint256'], ['requester', 'address'], ['volume', 'uint256'],
    ['tag', 'bytes32'], ['category', 'uint256'], ['trust', 'uint256'], ['beneficiary', 'address'],
    ['callback', 'address'], ['params', 'string'], ['salt', 'bytes32']],
};
const DOMAIN_TYPE = [{ name: 'name', type: 'string' }, { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }];
const members = (type) => ORDER_TYPES[type].map(([name, t]) => ({ name, type: t }));
// PoCo's domain (name and version from IexecLibOrders_v5) on the hubs the SDK knows for bellecour and arbitrum-sepolia.
const domainOf = (chainId) => ({ name: 'iExecODB', version: '5.0.0', chainId,
  verifyingContract: sdkConfig.getChainDefaults(chainId, { allowExperimentalNetworks: true }).hub });
const domain = domainOf(134);
const arbitrumSepoliaDomain = domainOf(421614);

const teeScone = await sdkValidator.tagSchema().validate(['tee', 'scone']);
const apporder = { app: APP, appprice: '0', volume: '1', tag: teeScone, datasetrestrict: ZERO, workerpoolrestrict: ZERO,
  requesterrestrict: address, salt: bytes32(2) };
const datasetorder = { dataset: ZERO, datasetprice: '0', volume: '0', tag: ZERO32, apprestrict: ZERO, workerpoolrestrict: ZERO,
  requesterrestrict: ZERO, salt: ZERO32 };
const workerpoolorder = { workerpool: WORKERPOOL, workerpoolprice: '0', volume: '1', tag: teeScone, category: '0', trust: '0',
  apprestrict: ZERO, datasetrestrict: ZERO, requesterrestrict: address, salt: bytes32(3) };
const requestorder = { app: APP, appmaxprice: '0', dataset: ZERO, datasetmaxprice: '0', workerpool: WORKERPOOL,
  workerpoolmaxprice: '0', requester: address, volume: '1', tag: teeScone, category: '0', trust: '0', beneficiary: address,
  callback: ZERO, params: JSON.stringify({ iexec_secrets: { 1: 'x1' }, iexec_result_storage_provider: 'ipfs' }), salt: bytes32(1) };

const hashes = {};
let sdkHashesMatch = true;
async function signOrder(type, key, order) {
  const types = { [type]: members(type) };
  const hash = ethers.TypedDataEncoder.hash(domain, types, order);
  const sdkHash = sdkSig.hashEIP712({ types: { EIP712Domain: DOMAIN_TYPE, ...types }, domain, primaryType: type, message: order });
  sdkHashesMatch &&= sdkHash === hash;
  hashes[key] = hash;
  return { ...order, sign: await wallet.signTypedData(domain, types, order) };
}
const signedApp = await signOrder('AppOrder', 'apporder', apporder);
// The SDK matches without a dataset with the empty dataset order and an empty signature.
const signedDataset = { ...datasetorder, sign: '0x' };
const signedWorkerpool = await signOrder('WorkerpoolOrder', 'workerpoolorder', workerpoolorder);
const signedRequest = await signOrder('RequestOrder', 'requestorder', requestorder);

const typeHashes = {};
const encodeType = {};
for (const type of Object.keys(ORDER_TYPES)) {
  encodeType[type] = ethers.TypedDataEncoder.from({ [type]: members(type) }).encodeType(type);
  typeHashes[type] = ethers.keccak256(ethers.toUtf8Bytes(encodeType[type]));
}

// ---- matchOrders calldata and the deal/task ids it produces ---------------------------------------------------------
const iexec = new ethers.Interface(iexecNative.abi);
const calldata = iexec.encodeFunctionData('matchOrders', [signedApp, signedDataset, signedWorkerpool, signedRequest]);
const dealId = ethers.solidityPackedKeccak256(['bytes32', 'uint256'], [hashes.requestorder, 0]);
const taskId = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(['bytes32', 'uint256'], [dealId, 0]));

// ---- tags ---------------------------------------------------------------------------------------------------------
const tags = {};
for (const text of ['tee', 'tee,scone', 'tee,gramine', 'tee,tdx', 'gpu']) {
  tags[text] = await sdkValidator.tagSchema({ allowAgnosticTee: true }).validate(text);
}

// ---- keystores ----------------------------------------------------------------------------------------------------
const hex = (buffer) => Buffer.from(buffer).toString('hex');
const scryptSalt = '0x' + '11'.repeat(32);
const scryptJson = JSON.parse(ethers.encryptKeystoreJsonSync({ address, privateKey }, 'test', {
  salt: scryptSalt, iv: '0x' + '22'.repeat(16), uuid: '0x' + '33'.repeat(16), scrypt: { N: 1024, r: 8, p: 1 },
}));
const scryptDerivedKey = ethers.hexlify(ethers.scryptSync(ethers.toUtf8Bytes('test'), scryptSalt, 1024, 8, 1, 32));
// A pbkdf2 keystore as geth writes them (ethers writes only scrypt): restated from the Web3 Secret Storage definition
// with node's crypto, then decrypted by ethers, which is what the SDK uses to read keystores.
const pbkdf2Salt = Buffer.alloc(32, 0x44);
const pbkdf2Iv = Buffer.alloc(16, 0x55);
const pbkdf2Key = crypto.pbkdf2Sync(Buffer.from('test'), pbkdf2Salt, 1000, 32, 'sha256');
const cipher = crypto.createCipheriv('aes-128-ctr', pbkdf2Key.subarray(0, 16), pbkdf2Iv);
const pbkdf2Ciphertext = Buffer.concat([cipher.update(Buffer.from(ethers.getBytes(privateKey))), cipher.final()]);
const pbkdf2Json = {
  address: address.slice(2).toLowerCase(),
  id: '44444444-4444-4444-8444-444444444444',
  version: 3,
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: hex(pbkdf2Iv) },
    ciphertext: hex(pbkdf2Ciphertext),
    kdf: 'pbkdf2',
    kdfparams: { c: 1000, dklen: 32, prf: 'hmac-sha256', salt: hex(pbkdf2Salt) },
    mac: ethers.keccak256(Buffer.concat([pbkdf2Key.subarray(16, 32), pbkdf2Ciphertext])).slice(2),
  },
};
if (ethers.decryptKeystoreJsonSync(JSON.stringify(pbkdf2Json), 'test').privateKey !== privateKey) {
  throw new Error('ethers does not read the pbkdf2 keystore back');
}

// ---- createApp calldata and an IPFS multiaddr ---------------------------------------------------------------------
const createAppArgs = {
  owner: address,
  name: 'hello-world-scone',
  type: 'DOCKER',
  multiaddr_utf8: 'docker.io/iexechub/python-hello-world:8.0.0-sconify-5.9.1-v15-production',
  checksum: '0x15de77fd7ac448028884256b3ab376e7d4560e9ef6acf0594ea0b3c031d5d395',
  mrenclave_utf8: JSON.stringify({ framework: 'SCONE', version: 'v5.9', entrypoint: 'python /app/app.py', heapSize: 1073741824,
    fingerprint: '2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609' }),
};
const registry = new ethers.Interface(appRegistry.abi);
const createAppCalldata = registry.encodeFunctionData('createApp', [createAppArgs.owner, createAppArgs.name, createAppArgs.type,
  sdkUtils.humanToMultiaddrBuffer(createAppArgs.multiaddr_utf8, { strict: false }), createAppArgs.checksum,
  ethers.toUtf8Bytes(createAppArgs.mrenclave_utf8)]);
const ipfsHuman = '/ipfs/QmW2WQi7j6c7UgJTarActp7tDNikE4B2qXtFCfLPdsgaTQ';

// ---- market queries the SDK sends (the query as the SDK built it, parameters in the order it sent them) ------------
const marketContracts = { chainId: '134', provider: undefined };
async function marketQuery(fetch) {
  const before = captured.length;
  await fetch();
  const get = captured.slice(before).find((c) => c.method === 'GET');
  return `GET ${get.url}`;
}
const marketQueryExamples = {
  apporders: await marketQuery(() => sdkOrderbook.fetchAppOrderbook(marketContracts, loopback, {
    app: APP, workerpool: WORKERPOOL, requester: address, minTag: teeScone, maxTag: teeScone })),
  workerpoolorders: await marketQuery(() => sdkOrderbook.fetchWorkerpoolOrderbook(marketContracts, loopback, {
    app: APP, workerpool: WORKERPOOL, requester: address, minTag: teeScone, category: 0 })),
};
server.close();

const vectors = {
  generatedWith: `tests/oracle/vectors.mjs: iexec@${sdkVersion} (dist) + ethers@${ethers.version}`,
  privateKey,
  address,
  uncompressedPublicKey: ethers.SigningKey.computePublicKey(privateKey, false),
  keccak_IEXEC_SMS_DOMAIN: domainHash,
  sms,
  eip712: {
    domain,
    domainSeparator: ethers.TypedDataEncoder.hashDomain(domain),
    domainSeparator_arbitrumSepolia: ethers.TypedDataEncoder.hashDomain(arbitrumSepoliaDomain),
    typeHashes,
    encodeType,
    apporder: signedApp,
    datasetorder: signedDataset,
    workerpoolorder: signedWorkerpool,
    requestorder: signedRequest,
    hashes,
    sdkHashesMatch,
  },
  matchOrders: {
    selector: iexec.getFunction('matchOrders').selector,
    calldataLengthBytes: ethers.dataLength(calldata),
    calldataKeccak: ethers.keccak256(calldata),
    calldata,
  },
  dealid_ifRequestorderConsumedWas0: dealId,
  taskid_idx0: taskId,
  tags,
  ens: { name: 'prod-v8-bellecour.main.pools.iexec.eth', namehash: ethers.namehash('prod-v8-bellecour.main.pools.iexec.eth') },
  keystore_v3_light_scrypt: {
    password: 'test',
    note: 'ethers encryptKeystoreJsonSync with fixed salt=0x11*32, iv=0x22*16, uuid bytes=0x33*16, scrypt N=1024 r=8 p=1',
    derivedKey: scryptDerivedKey,
    json: scryptJson,
  },
  keystore_v3_pbkdf2_reader_check: {
    password: 'test',
    note: 'pbkdf2 (hmac-sha256, c=1000) keystore built per the Web3 Secret Storage definition; ethers decryptKeystoreJsonSync (what the SDK uses to decrypt) reads it back',
    json: pbkdf2Json,
  },
  unencrypted_wallet_json: { privateKey, publicKey: ethers.SigningKey.computePublicKey(privateKey, false), address },
  createApp: {
    selector: registry.getFunction('createApp').selector,
    args: createAppArgs,
    calldata: createAppCalldata,
    ipfsMultiaddrExample: { human: ipfsHuman, bytes: ethers.hexlify(sdkUtils.humanToMultiaddrBuffer(ipfsHuman)) },
  },
  marketQueryExamples,
};
process.stdout.write(JSON.stringify(vectors, null, 2) + '\n');
