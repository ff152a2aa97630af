import { Component } from '@angular/core';

@Component({
  template: `
    <h1>Welcome</h1>
    <p>This page is prerendered at build time; who is signed in is read again in the browser.</p>
  `,
})
export default class HomePage {}
