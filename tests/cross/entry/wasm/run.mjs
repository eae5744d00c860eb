// node run.mjs fixture.wasm -- instantiates the wasm32-unknown-unknown fixture (imports are stubs
// that throw), prints its report line and exits 0 if fixture_status() is 0, 1 if not, 2 if the
// module cannot be instantiated or called.
import fs from 'node:fs';

const [file] = process.argv.slice(2);
try {
  const mod = await WebAssembly.compile(fs.readFileSync(file));
  const imports = {};
  for (const imp of WebAssembly.Module.imports(mod)) {
    if (imp.kind !== 'function') continue;
    (imports[imp.module] ??= {})[imp.name] = () => {
      throw new Error(`import ${imp.module}.${imp.name} called`);
    };
  }
  const { exports } = await WebAssembly.instantiate(mod, imports);
  const status = exports.fixture_status();
  const ptr = exports.fixture_report();
  const mem = new Uint8Array(exports.memory.buffer);
  let end = ptr;
  while (end < mem.length && mem[end] !== 0) end++;
  console.log(new TextDecoder().decode(mem.subarray(ptr, end)));
  process.exit(status === 0 ? 0 : 1);
} catch (e) {
  console.error(`wasm: ${e.message}`);
  process.exit(2);
}
