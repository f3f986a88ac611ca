import type { ESLint, Rule } from 'eslint';

/** The layers rule (layers.js), typed for the tests that drive it through ESLint's Linter. */
export declare const layers: Rule.RuleModule;
declare const plugin: ESLint.Plugin & { rules: { layers: Rule.RuleModule } };
export default plugin;
