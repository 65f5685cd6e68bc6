// Entry of the viewer page (bundled into dist/viewer.js): `?race=ID` and `?runs` open the comparison instead.
import { startViewer } from './app/viewer-app';
import { startCompare } from './compare/compare-app';

const query = new URLSearchParams(location.search);
const race = query.get('race');
if (race) startCompare({ race });
else if (query.has('runs')) startCompare({ runsUrl: 'runs.json' });
else startViewer();
