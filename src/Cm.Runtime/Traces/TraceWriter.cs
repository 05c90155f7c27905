using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Sampling;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Traces;

/// <summary>
/// The trace sink: streams a run into a JSON Lines trace (docs/trace-format.md) as the loop reports it.
/// Lines go to a partial file of this run's own, <c>&lt;path&gt;.cm-PID-RANDOM.partial</c> (so two runs with the
/// same <c>--trace</c> never write into one file, and a user's own <c>&lt;path&gt;.partial</c> is never touched),
/// each handed to the operating system as soon as it is complete, and the file is renamed to <c>&lt;path&gt;</c>
/// only when the footer is written; without overwrite the rename refuses a trace that appeared meanwhile. A crash therefore
/// leaves a readable prefix, which <c>cm verify</c> reports as incomplete; a finished run leaves a
/// sealed trace. Memory is one line, whatever the number of steps.
/// </summary>
public sealed class TraceWriter : IStepObserver, IDisposable
{
    private readonly FileStream _file;
    private readonly int _maxLineBytes;
    private string? _prev;
    private int _steps;
    private bool _done;

    private readonly bool _overwrite;

    private TraceWriter(string path, string partialPath, FileStream file, bool inlineTensors, int maxLineBytes, bool overwrite)
    {
        _overwrite = overwrite;
        Path = path;
        PartialPath = partialPath;
        _file = file;
        WantsTensors = inlineTensors;
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>Where the sealed trace appears on completion.</summary>
    public string Path { get; }

    /// <summary>Where the trace is written until then.</summary>
    public string PartialPath { get; }

    /// <inheritdoc/>
    public bool WantsTensors { get; }

    /// <summary>
    /// Opens a fresh partial file of this run for a new trace (<paramref name="overwrite"/>: whether sealing may
    /// replace an existing trace at <paramref name="path"/>). With
    /// <paramref name="inlineTensors"/> every step carries its tensors, so a verifier can recompute it.
    /// </summary>
    public static Fin<TraceWriter> Create(string path, bool inlineTensors, int maxLineBytes = TraceFormat.DefaultMaxLineBytes, bool overwrite = true)
    {
        var partial = Cm.Runtime.Files.TempNames.For(path, "partial");
        try
        {
            var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
            return new TraceWriter(path, partial, file, inlineTensors, maxLineBytes, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new TraceIoError(partial, "creating the trace file", e.Message);
        }
    }

    /// <inheritdoc/>
    public Fin<Unit> OnStart(RunHeader header) =>
        _prev is not null ? Order("OnStart was called twice")
        : Line(TraceLines.Header(header, WantsTensors, TraceFormat.GenesisPrev), "writing the header");

    /// <inheritdoc/>
    public Fin<Unit> OnStep(StepRecord step)
    {
        if (_prev is null) return Order("OnStep came before OnStart");
        if (_done) return Order("OnStep came after OnComplete");
        byte[] bytes;
        try
        {
            bytes = TraceLines.Step(step, WantsTensors, _prev);
        }
        catch (ArgumentException e)
        {
            return new TraceIoError(PartialPath, $"encoding step {step.Scalars.Index}", e.Message);
        }
        return Line(bytes, $"writing step {step.Scalars.Index}").Map(u => { _steps++; return u; });
    }

    /// <inheritdoc/>
    public Fin<Unit> OnComplete(Tensor<float> finalSample)
    {
        if (_prev is null) return Order("OnComplete came before OnStart");
        if (_done) return Order("OnComplete was called twice");
        return Line(TraceLines.Footer(_steps, finalSample, true, _prev), "writing the footer").Bind(_ => Seal());
    }

    /// <summary>Closes the file; without <see cref="OnComplete"/> the unsealed <c>.partial</c> file stays for inspection.</summary>
    public void Dispose() => _file.Dispose();

    private Fin<Unit> Line(byte[] bytes, string doing)
    {
        if (bytes.Length > _maxLineBytes)
            return new TraceIoError(PartialPath, doing,
                $"the line would be {bytes.Length} bytes, over the {_maxLineBytes}-byte limit readers accept; record without inline tensors");
        try
        {
            _file.Write(bytes);
            _file.WriteByte((byte)'\n');
            _file.Flush(flushToDisk: false);
            _prev = TensorHash.OfBytes(bytes);
            return unit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return new TraceIoError(PartialPath, doing, e.Message);
        }
    }

    private Fin<Unit> Seal()
    {
        try
        {
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            File.Move(PartialPath, Path, overwrite: _overwrite);
            _done = true;
            return unit;
        }
        catch (IOException) when (!_overwrite && File.Exists(Path))
        {
            // Another run sealed the same trace first: this one fails cleanly and leaves that trace intact.
            TryDelete(PartialPath);
            return new Cm.Runtime.Errors.OutputExists(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new TraceIoError(Path, "sealing the trace (renaming the .partial file)", e.Message);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for inspection; the error returned says what happened.
        }
    }

    private Fin<Unit> Order(string what) => new TraceIoError(PartialPath, "observer protocol", what);
}
