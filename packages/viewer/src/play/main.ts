// Entry of the /play page (bundled into dist/play.js).
import { startPlay } from './play-app';

startPlay();
