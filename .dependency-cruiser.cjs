/**
 * The import rules of docs/architecture.md ("Räume und ihre Türen"), checked by `npm run lint`.
 * A rule here is the table made executable: change both together.
 */
const DOMAIN = '^src/(knowledge|eligibility|booking|storage|privacy|text|nlu|handoff|metrics)/';
const BOT_FRAMEWORK = '^node_modules/(botbuilder|botbuilder-[^/]+|botframework-[^/]+)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes load order matter and the modules inseparable.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-without-bot-framework',
      severity: 'error',
      comment:
        'Domain modules are plain TypeScript: no Bot Framework, no bot/channel/web code, no dialogs, ' +
        'no composition root. A move to the Microsoft 365 Agents SDK must not touch them.',
      from: { path: DOMAIN },
      to: { path: [BOT_FRAMEWORK, '^src/(bot|channels|web)/', '^dialogs/', '^src/(app|server|index)\\.ts$'] },
    },
    {
      name: 'bot-imports-dialogs-and-bot-framework',
      severity: 'error',
      comment:
        'src/bot imports dialogs/ and the Bot Framework, plus the storage it keeps state in and the ' +
        'config and log types; never the composition root, channels or web code.',
      from: { path: '^src/bot/' },
      to: {
        dependencyTypesNot: ['core', 'type-only'],
        pathNot: ['^src/bot/', '^dialogs/', BOT_FRAMEWORK, '^src/(storage|log)(/|\\.ts$)', '^src/config\\.ts$'],
      },
    },
    {
      name: 'bot-types-only-from-domain',
      severity: 'error',
      comment: 'src/bot may name domain types (through dialogs/services.ts) but never reaches app, channels or web.',
      from: { path: '^src/bot/' },
      to: { path: ['^src/(app|server|index)\\.ts$', '^src/(channels|web)/'] },
    },
    {
      name: 'nothing-imports-the-composition-root',
      severity: 'error',
      comment: 'src/app.ts wires everything; only the entry point, tests, benchmarks and scripts start it.',
      from: { pathNot: ['^src/index\\.ts$', '^test/', '^bench/', '^scripts/'] },
      to: { path: '^src/app\\.ts$' },
    },
    {
      name: 'dialogs-not-channels',
      severity: 'error',
      comment: 'Dialogs hold the conversation; they know neither the channels, the bot runtime nor the composition root.',
      from: { path: '^dialogs/' },
      to: { path: ['^src/(channels|web)/', '^src/bot/runtime\\.ts$', '^src/(app|server|index)\\.ts$'] },
    },
    {
      name: 'browser-code-stays-in-the-browser',
      severity: 'error',
      comment: 'The widget and the Teams tab run in the browser: no Node modules, no server code.',
      from: { path: ['^src/web/widget/browser/', '^src/web/tab/'] },
      to: { pathNot: ['^src/web/(widget/browser|tab)/', '^node_modules/', '^manifest/[^/]+\\.json$'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
