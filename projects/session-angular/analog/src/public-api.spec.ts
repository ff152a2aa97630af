import { describe, expect, it } from 'vitest';

import * as api from './public-api';

describe('public API of the /analog entry point', () => {
  it('changes only on purpose', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "withAnalog",
      ]
    `);
  });
});
