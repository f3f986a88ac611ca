// A tiny ESLint rule: src/ is built in layers (declared as data in eslint.config.js), and a module
// may import at runtime only from itself or from a strictly lower layer. Peers in one layer don't
// import each other, so a cycle between folders cannot be written.
//
// A "module" is the first path segment under src/: a folder (`alerts`) or a top-level file
// (`version.ts`, `index.ts`), or a nested folder named in a layer (`discord/interactions`), which
// is then a module of its own, apart from its parent. Every module must be in a layer.
// `import type` (and `export type`) is allowed across layers: it is erased at compile time, so it
// creates no load order and no runtime coupling; it only says "I accept an object of this shape".
import path from 'node:path';

/** @type {import('eslint').Rule.RuleModule} */
export const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'Runtime imports between src/ folders follow the declared layers' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          layers: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
          // Named exceptions, each a file and the folder it may import from anyway.
          allow: {
            type: 'array',
            items: {
              type: 'object',
              properties: { from: { type: 'string' }, to: { type: 'string' } },
              required: ['from', 'to'],
              additionalProperties: false,
            },
          },
        },
        required: ['root', 'layers'],
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const { root, layers, allow = [] } = context.options[0];
    const srcRoot = path.resolve(context.cwd, root);
    const rank = new Map();
    layers.forEach((layer, i) => layer.forEach((name) => rank.set(name, i)));

    // Nested modules, longest first: `discord/interactions` before `discord`.
    const nested = [...rank.keys()]
      .filter((name) => name.includes('/'))
      .sort((a, b) => b.length - a.length);

    /** The module a file belongs to, or undefined when the file is outside src/. */
    function moduleOf(file) {
      const rel = path.relative(srcRoot, file);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
      const inner = nested.find((name) =>
        rel.startsWith(name.split('/').join(path.sep) + path.sep),
      );
      if (inner !== undefined) return inner;
      const [first, ...rest] = rel.split(path.sep);
      return rest.length === 0 ? first.replace(/\.js$/, '.ts') : first;
    }
    const rankOf = (name) => rank.get(name);

    const from = moduleOf(context.filename);
    if (from === undefined) return {};

    function check(node, source, typeOnly) {
      if (typeOnly || !source || typeof source.value !== 'string') return;
      if (!source.value.startsWith('.')) return;
      const target = path.resolve(path.dirname(context.filename), source.value);
      const to = moduleOf(target);
      if (to === undefined || to === from) return;
      const excepted = allow.some(
        (a) =>
          path.resolve(context.cwd, a.from) === context.filename &&
          target.startsWith(path.resolve(context.cwd, a.to) + path.sep),
      );
      if (excepted) return;
      const fromRank = rankOf(from);
      const toRank = rankOf(to);
      for (const [name, r] of [
        [from, fromRank],
        [to, toRank],
      ]) {
        if (r === undefined) {
          context.report({
            node,
            message: `src/${name} is in no layer: add it to the layers list in eslint.config.js.`,
          });
          return;
        }
      }
      if (toRank < fromRank) return;
      context.report({
        node: source,
        message:
          toRank === fromRank
            ? `src/${from} and src/${to} are peers in one layer and may not import each other ` +
              `(see the layers in eslint.config.js); move the shared code down a layer.`
            : `src/${from} may not import src/${to} at runtime: src/${to} is in a higher layer ` +
              `(see eslint.config.js). Move the shared code down a layer, pass it in from the ` +
              `composition root, or use \`import type\` if only types are needed.`,
      });
    }

    return {
      ImportDeclaration(node) {
        // Only `import type` counts as type-only: `import { type A }` may still load the module.
        check(node, node.source, node.importKind === 'type');
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source, node.exportKind === 'type');
      },
      ExportAllDeclaration(node) {
        check(node, node.source, node.exportKind === 'type');
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source, false);
      },
    };
  },
};

export default { rules: { layers } };
