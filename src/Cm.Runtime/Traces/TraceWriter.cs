using System.Buffers;
using System.Runtime.InteropServices;
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
/// sealed trace. Memory is one line, whatever the number of steps: the line is built in one buffer
/// reused from line to line, tensors are encoded from their own memory, and a step's sample hash is the
/// previous step's next-sample hash when it is the same tensor or the same bytes (compared, not assumed).
/// <para>
/// The header and each step's line are hashed, encoded and written on a worker thread while the loop goes on
/// (on a one-thread run the second core is otherwise idle). The writer takes the loop's pooled copies as its own
/// (<see cref="StepValues.HandedOver"/>: no second copy), so <see cref="OnStep"/> only starts the worker and
/// returns; the next call, <see cref="OnComplete"/> and <see cref="Dispose"/> first wait for that line, so lines
/// stay in order, at most one line is in flight, and a failure to write a line is reported by the next call
/// (the header's by the first step's, step i's by step i + 1's or the completion). Memory: one step's tensors (the loop's copies), besides the line buffer.
/// </para>
/// </summary>
public sealed class TraceWriter : IStepObserver, IDisposable
{
    private readonly FileStream _file;
    private readonly int _maxLineBytes;
    private readonly ArrayBufferWriter<byte> _line = new(1 << 16);
    private Task<Fin<Unit>> _pending = Task.FromResult(Fin<Unit>.Succ(unit));
    private StepRecord? _inFlight;          // the step being written (its tensors are the writer's)
    private Tensor<float>? _lastNext;       // the last step's next sample (the writer's)
    private string? _lastNextHash;
    private string? _prev;
    private int _steps;
    private bool _started;
    private bool _done;

    private readonly bool _overwrite;

    private TraceWriter(string path, string partialPath, FileStream file, bool inlineTensors, int maxLineBytes, bool overwrite)
    {
        _overwrite = overwrite;
        Path = path;
        PartialPath = partialPath;
        _file = file;
        InlineTensors = inlineTensors;
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>Where the sealed trace appears on completion.</summary>
    public string Path { get; }

    /// <summary>Where the trace is written until then.</summary>
    public string PartialPath { get; }

    /// <summary>Whether every step line carries its tensors (base64), so that a verifier can recompute it.</summary>
    public bool InlineTensors { get; }

    /// <summary>
    /// <see cref="StepValues.HandedOver"/>: the step's tensors become the writer's, which releases them once their
    /// line is written (a caller must not release or reuse a tensor it hands over; unpooled tensors are simply dropped).
    /// </summary>
    public StepValues Values => StepValues.HandedOver;

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

    /// <summary>
    /// Starts the trace: the header line is written on the worker, like a step line (its failure is reported by
    /// the next call), after readying the pool's buffers for the copies the loop hands over while a step is in
    /// flight, so that neither the first write's set-up nor fresh pages delay the loop's first step.
    /// </summary>
    public Fin<Unit> OnStart(RunHeader header)
    {
        if (_started) return Order("OnStart was called twice");
        _started = true;
        // Room for a whole step line at once (four base64 tensors and the scalars): no regrowth while writing.
        if (InlineTensors) _line.GetSpan((int)Math.Min(_maxLineBytes, 4L * ((header.SampleShape.Count * 4L + 2) / 3 * 4) + 4096));
        _pending = Task.Run(() =>
        {
            Tensor<float>.WarmPool(header.SampleShape, CopiesInFlight);
            return Line(TraceLines.Header(header, InlineTensors, TraceFormat.GenesisPrev), "writing the header");
        });
        return unit;
    }

    // The loop's copies alive at once: the step being written (sample, output, noise, next) and the next step's (3).
    private const int CopiesInFlight = 7;

    /// <inheritdoc/>
    public Fin<Unit> OnStep(StepRecord step)
    {
        if (!_started) return Order("OnStep came before OnStart");
        if (_done) return Order("OnStep came after OnComplete");
        return Settle().Bind(_ => Begin(step));
    }

    // Takes the step over and writes it on a worker. Its sample is known when it is the last next sample: the same
    // object (the loop hands that over again) or the same bytes (compared: a fraction of a hash).
    private Fin<Unit> Begin(StepRecord step)
    {
        var sampleHash = SameAsLastNext(step.Sample) ? _lastNextHash : null;
        if (!ReferenceEquals(step.Sample, _lastNext)) _lastNext?.Release();
        _inFlight = step;
        _lastNext = step.NextSample;
        _pending = Task.Run(() => Write(step, sampleHash));
        return unit;
    }

    // The worker's part: the hashes, the line, the write. Runs alone (the caller waits before the next step).
    private Fin<Unit> Write(StepRecord step, string? sampleHash)
    {
        _line.ResetWrittenCount();
        try
        {
            var hashes = new StepHashes(
                sampleHash ?? TensorHash.Of(step.Sample.Data), TensorHash.Of(step.ModelOutput.Data),
                step.Noise.Map(n => TensorHash.Of(n.Data)), TensorHash.Of(step.NextSample.Data));
            TraceLines.Step(step, hashes, InlineTensors, _prev!, _line);
            _lastNextHash = hashes.NextSample;
        }
        catch (ArgumentException e)
        {
            return new TraceIoError(PartialPath, $"encoding step {step.Scalars.Index}", e.Message);
        }
        return Line(_line.WrittenSpan, $"writing step {step.Scalars.Index}").Map(u => { _steps++; return u; });
    }

    // Waits for the line in flight, then releases its tensors, all but its next sample (the next step's sample).
    private Fin<Unit> Settle()
    {
        var written = _pending.GetAwaiter().GetResult();
        if (_inFlight is { } r)
        {
            if (!ReferenceEquals(r.Sample, r.NextSample)) r.Sample.Release();
            r.ModelOutput.Release();
            r.Noise.IfSome(static n => n.Release());
            r.Denoised.Release();
            _inFlight = null;
        }
        _pending = Task.FromResult(written);
        return written;
    }

    private bool SameAsLastNext(Tensor<float> t) =>
        _lastNext is not null && _lastNextHash is not null && !_lastNext.IsReleased
        && (ReferenceEquals(t, _lastNext) || MemoryMarshal.AsBytes(_lastNext.Data).SequenceEqual(MemoryMarshal.AsBytes(t.Data)));

    /// <inheritdoc/>
    public Fin<Unit> OnComplete(Tensor<float> finalSample)
    {
        if (!_started) return Order("OnComplete came before OnStart");
        if (_done) return Order("OnComplete was called twice");
        return Settle().Bind(_ =>
        {
            var footer = TraceLines.Footer(_steps, HashOf(finalSample), true, _prev!);
            _lastNext?.Release();
            _lastNext = null;
            return Line(footer, "writing the footer").Bind(_ => Seal());
        });
    }

    // The previous next-sample's hash when these are the same values (a byte comparison costs a fraction of a hash).
    private string HashOf(Tensor<float> t) => SameAsLastNext(t) ? _lastNextHash! : TensorHash.Of(t.Data);

    /// <summary>Closes the file; without <see cref="OnComplete"/> the unsealed <c>.partial</c> file stays for inspection.</summary>
    public void Dispose()
    {
        // The line in flight is finished first: a cancelled or failed run keeps every step it observed.
        try
        {
            Settle();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Disposal reports nothing; the step's failure was or will be seen as the partial file's end.
        }
        _lastNext?.Release();
        _lastNext = null;
        _file.Dispose();
    }

    private Fin<Unit> Line(ReadOnlySpan<byte> bytes, string doing)
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
