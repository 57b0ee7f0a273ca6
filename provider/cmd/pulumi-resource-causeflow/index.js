// Run by the nodejs language host (`run-plugin <this folder> <engine address>`): serve the plugin.
require("@causeflow/pulumi/plugin").main();
