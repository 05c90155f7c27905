using Cm.Pure.Config;
using Cm.Runtime.Configs;
using Cm.Runtime.Errors;
using Cm.Runtime.Files;
using Xunit;

namespace Cm.Tests.Cli;

public sealed class ConfigFileTests
{
    [Fact]
    public void Save_then_load_round_trips_and_never_clobbers()
    {
        using var dir = new TempDir();
        var path = dir.File("scheduler_config.json");
        var doc = ConfigDocument.Of(SchedulerConfig.Default with { rho = 5 });
        Assert.True(DiffusersConfigFile.Save(path, doc, overwrite: false).IsSucc);
        var loaded = DiffusersConfigFile.Load(path).Match(l => l, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(doc, loaded.Document);

        var before = File.ReadAllBytes(path);
        var again = DiffusersConfigFile.Save(path, ConfigDocument.Of(SchedulerConfig.Default), overwrite: false);
        Assert.IsType<OutputExists>(again.Match(_ => throw new Xunit.Sdk.XunitException("overwrote"), e => e));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.True(DiffusersConfigFile.Save(path, ConfigDocument.Of(SchedulerConfig.Default), overwrite: true).IsSucc);
        Assert.NotEqual(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path)); // no temporary files left behind
    }

    [Fact]
    public void Missing_and_invalid_files_are_input_errors_naming_the_file()
    {
        using var dir = new TempDir();
        var missing = DiffusersConfigFile.Load(dir.File("nope.json")).Match(_ => throw new Xunit.Sdk.XunitException("loaded"), e => e);
        Assert.IsType<FileUnreadable>(missing);
        Assert.True(Cm.Pure.Errors.CmError.KindOf(missing) == Cm.Pure.Errors.ErrorKind.InvalidInput);

        var bad = dir.Write("bad.json", """{"sigma_min": 0, "rho": "x"}""");
        var e = DiffusersConfigFile.Load(bad).Match(_ => throw new Xunit.Sdk.XunitException("loaded"), e => e);
        var invalid = Assert.IsType<InvalidConfigFile>(e);
        Assert.Equal(2, invalid.Problems.Count);
        Assert.Contains("bad.json", e.Message);
        Assert.Contains("sigma_min", e.Message);
    }

    [Fact]
    public void Atomic_write_refuses_missing_folders_and_folders()
    {
        using var dir = new TempDir();
        Assert.IsType<OutputNotWritable>(AtomicFile.Write(dir.File("no/such/x.bin"), [1], false).Match(_ => throw new Xunit.Sdk.XunitException("wrote"), e => e));
        Assert.IsType<OutputNotWritable>(AtomicFile.Write(dir.Path, [1], true).Match(_ => throw new Xunit.Sdk.XunitException("wrote"), e => e));
    }
}
