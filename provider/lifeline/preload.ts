/**
 * Preloaded (`node --require`) into a process whose code is not ours, such as the dynamic-provider
 * host that a test, the benchmark or the main job starts, so that it ends with whoever started it.
 */
import { exitWithParent } from "./exitWithParent";

exitWithParent();
