// Differential oracle for the request params: the installed iexec SDK's createObjParams (the function the SDK's
// createRequestorder runs) on each case read from stdin; prints the JSON.stringify of the result or the error.
// argv[2]: file URL of the SDK's dist/esm/common/execution/order-helper.js.
const { createObjParams } = await import(process.argv[2]);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const c of JSON.parse(input)) {
  try {
    out.push({ ok: JSON.stringify(await createObjParams({ params: c.params, tag: c.tag, callback: c.callback })) });
  } catch (e) {
    out.push({ error: String(e.message) });
  }
}
process.stdout.write(JSON.stringify(out));
