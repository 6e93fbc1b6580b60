// The swc options every TypeScript file of the tests is compiled with: by the jest transform
// (jest.config.js) and by the require hook of child processes that boot an app
// (libs/testing/register-ts.js). Decorator metadata is what Nest's injection
// needs (tsx/esbuild does not emit it); CommonJS because jest and the hook require() the output.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};
