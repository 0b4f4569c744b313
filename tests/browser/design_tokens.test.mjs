// Issue 24: our stylesheet takes its colours, type scale and radii from the Digital Agency's
// design tokens (npm @digital-go-jp/design-tokens). Each custom property at the top of
// civicdesk.css names the token it comes from in a comment (`/* token --font-size-16 */`); this
// test reads the package's dist/tokens.css, resolves its var() references, and fails when one of
// our values differs from the token it names, when a named token does not exist, or when a
// colour is written anywhere but in those declarations. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@digital-go-jp/design-tokens/package.json'));
const tokenCss = readFileSync(join(packageDir, 'dist', 'tokens.css'), 'utf8');
const ourCss = readFileSync(new URL('../../src/http/static/civicdesk.css', import.meta.url), 'utf8');

// The package's tokens, name → value, with var(--x) replaced by x's value.
function packageTokens(css) {
  const raw = new Map();
  for (const [, name, value] of css.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) raw.set(name, value.trim());
  const resolve = (value, depth = 0) => {
    assert.ok(depth < 10, `token reference loop at ${value}`);
    return value.replace(/var\((--[\w-]+)\)/g, (_, ref) => {
      assert.ok(raw.has(ref), `the package refers to an unknown token ${ref}`);
      return resolve(raw.get(ref), depth + 1);
    });
  };
  return new Map([...raw].map(([name, value]) => [name, resolve(value)]));
}

// Our first :root block and its declarations with the token each claims (null when none).
function ourDeclarations(css) {
  const start = css.indexOf(':root {');
  assert.ok(start >= 0, 'civicdesk.css has no :root block');
  const end = css.indexOf('\n}', start);
  const block = css.slice(start, end);
  const declarations = [];
  for (const line of block.split('\n')) {
    const m = line.match(/^\s*(--[\w-]+)\s*:\s*([^;]+);\s*(?:\/\*\s*token\s+(--[\w-]+)[^*]*\*\/)?/);
    if (m) declarations.push({ name: m[1], value: m[2].trim(), token: m[3] ?? null });
  }
  return { declarations, rest: css.slice(0, start) + css.slice(end) };
}

// Equal as CSS values: case, spaces after commas and around the value do not count.
const normal = (value) => value.toLowerCase().replace(/\s*,\s*/g, ',').replace(/\s+/g, ' ').trim();

const tokens = packageTokens(tokenCss);
const ours = ourDeclarations(ourCss);

test('the package is the one the stylesheet was written against', () => {
  // Sanity: the parser found the package's groups we draw from.
  for (const name of ['--color-primitive-blue-900', '--font-size-16', '--line-height-170',
    '--color-semantic-error-2', '--border-radius-8', '--elevation-1']) {
    assert.ok(tokens.has(name), `${name} missing from the package`);
  }
  assert.equal(tokens.get('--color-semantic-error-2'), '#ce0000', 'semantic tokens resolve');
});

test('every value we take from a design token equals that token', () => {
  const claimed = ours.declarations.filter((d) => d.token);
  assert.ok(claimed.length >= 30, `only ${claimed.length} custom properties name a token`);
  const wrong = [];
  for (const { name, value, token } of claimed) {
    if (!tokens.has(token)) wrong.push(`${name} names ${token}, which the package does not have`);
    else if (normal(tokens.get(token)) !== normal(value))
      wrong.push(`${name}: ${value}, but ${token} is ${tokens.get(token)}`);
  }
  assert.deepEqual(wrong, []);
});

test('colours, font sizes and line heights come from tokens only', () => {
  const colour = /#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i;
  const orphans = ours.declarations
    .filter((d) => !d.token && (colour.test(d.value) || /^--(text|leading|weight)-/.test(d.name)))
    .map((d) => d.name);
  assert.deepEqual(orphans, [], 'colour or type custom properties without a token');
  // Outside the :root block a colour is always var(--…): no literal hex, rgb() or hsl().
  const literals = ours.rest.replace(/\/\*[\s\S]*?\*\//g, '').split('\n')
    .filter((line) => colour.test(line));
  assert.deepEqual(literals, [], 'colour literals outside the :root tokens');
  // Every font-size outside :root is one of our type-scale properties (or 16 px at least).
  const sizes = [...ours.rest.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/font-size:\s*([^;}]+)/g)]
    .map((m) => m[1].trim()).filter((v) => !/^(var\(--text-[\w-]+\)|max\(var\(--text-md\), 16px\)|inherit)$/.test(v));
  assert.deepEqual(sizes, [], 'font sizes not on the type scale');
});

test('the spacing scale keeps to the 8 px grid (the package has no spacing tokens)', () => {
  assert.ok(![...tokens.keys()].some((name) => /spac/i.test(name)),
    'the package now has spacing tokens: take our --space-* from them');
  const spaces = ours.declarations.filter((d) => d.name.startsWith('--space-'));
  assert.ok(spaces.length >= 5);
  for (const { name, value } of spaces) {
    const rem = value.match(/^([\d.]+)rem$/);
    assert.ok(rem, `${name} is not in rem: ${value}`);
    assert.equal((Number(rem[1]) * 16) % 4, 0, `${name} (${value}) is off the 4 px half-step`);
  }
});
