// Entry of the viewer page (bundled into dist/viewer.js).
import { startViewer } from './app/viewer-app';

startViewer();
