import type { RouteMeta } from '@analogjs/router';
import { injectResponse } from '@analogjs/router/tokens';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

export const routeMeta: RouteMeta = {
  title: 'Page not found · analog-tools session',
};

/** Every path no other page matches: says so, and answers 404 when rendered on the server. */
@Component({
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p>There is no page at this address.</p>
      <a class="button" routerLink="/">Go to the home page</a>
    </section>
  `,
})
export default class NotFoundPage {
  constructor() {
    // Null in the browser; on the server, the response being rendered.
    const response = injectResponse();
    if (response) response.statusCode = 404;
  }
}
