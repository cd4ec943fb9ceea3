// The public functions that talk to a server: every value export of the packages' entries whose
// first parameter is a WandbClient (found by the type checker, so a new one cannot be missed).
import { join } from 'node:path';
import ts from 'typescript';
import { sourceProgram } from '../test/sourceProgram.js';

/** The package entries whose exports users call, by the name the table shows. */
export const ENTRIES: Record<string, string> = {
  '@wandb-api/core': 'packages/core/src/node.ts',
  '@wandb-api/runs': 'packages/runs/src/node.ts',
  '@wandb-api/artifacts': 'packages/artifacts/src/node.ts',
  '@wandb-api/launch': 'packages/launch/src/index.ts',
  '@wandb-api/admin': 'packages/admin/src/index.ts',
  '@wandb-api/admin/automations': 'packages/admin/src/automations/index.ts',
};

/** `package → function names` of the exports that take a client first. */
export function clientFunctions(root: string): Record<string, string[]> {
  const files = Object.values(ENTRIES).map((f) => join(root, f));
  const program = sourceProgram(root, files);
  const checker = program.getTypeChecker();
  const out: Record<string, string[]> = {};
  for (const [name, file] of Object.entries(ENTRIES)) {
    const source = program.getSourceFile(join(root, file))!;
    const module = checker.getSymbolAtLocation(source)!;
    out[name] = checker
      .getExportsOfModule(module)
      .filter((symbol) => {
        const type = checker.getTypeOfSymbol(symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
        return type.getCallSignatures().some((signature) => {
          const first = signature.getParameters()[0];
          return first !== undefined && checker.typeToString(checker.getTypeOfSymbol(first)) === 'WandbClient';
        });
      })
      .map((symbol) => symbol.name)
      .sort();
  }
  return out;
}
