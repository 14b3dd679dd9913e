/** Every content signal, family by family, in the order reports list them. */
import { headerSignals } from './headers.js';
import { htmlSignals } from './html.js';
import { linkSignals } from './links.js';
import { mimeSignals } from './mime.js';
import type { ContentSignal } from './signal.js';
import { textSignals } from './text.js';

export { draftView } from './signal.js';

export const contentSignals: readonly ContentSignal[] = [...headerSignals, ...mimeSignals, ...linkSignals, ...htmlSignals, ...textSignals];
