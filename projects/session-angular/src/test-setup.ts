import '@angular/compiler';

import { setupTestBed } from '@analogjs/vitest-angular/setup-testbed';

// Zoneless: zone.js is not installed in this workspace, and the library never relies on it.
setupTestBed();
