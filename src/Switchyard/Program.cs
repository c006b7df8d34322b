using Switchyard.Cli;

return await SwitchyardCli.RunAsync(args);
