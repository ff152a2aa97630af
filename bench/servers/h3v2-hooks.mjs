// Module resolution hook (node:module register()): our build imports `h3`, which in this workspace is h3 v1.
// An app on h3 v2 has v2 installed under that name; this hook gives a module imported with the `?h3v2`
// query (see h3v2-session.mjs) the devDependency `h3v2` (npm:h3@2.0.8) for `h3`, as such an app would.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'h3' && context.parentURL?.endsWith('?h3v2')) return nextResolve('h3v2', context);
  return nextResolve(specifier, context);
}
