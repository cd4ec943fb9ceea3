#!/usr/bin/env node
// codegen hook: marks each generated `new TypedDocumentString(...)` as pure so bundlers drop the
// documents an application does not use (a bare `new` at module level counts as a side effect).
import { readFileSync, writeFileSync } from 'node:fs';

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const marked = text.replace(/= new TypedDocumentString\(/g, '= /*#__PURE__*/ new TypedDocumentString(');
  if (marked !== text) writeFileSync(file, marked);
}
