using System.Runtime.CompilerServices;

namespace WeatherGinr.Ingest;

/// <summary>
/// Value buffers that an ingest worker reuses from one file to the next: the decoded values of each
/// variable, and the regridded values of callers that regrid. A buffer is lent for the length of one
/// file's work and handed back when that work is done, so a run of files on one grid writes into memory
/// the process already holds. A fresh array instead costs the kernel a page fault and a zeroed page on
/// the first touch of each 4 KiB (about 2 microseconds a page: 4.5 ms for the 2,000 pages of a 110-step
/// T42 field and its values on icosphere level 5), whenever the garbage collector has handed the
/// previous file's memory back to the system.
/// </summary>
/// <remarks>
/// <para><b>Lending.</b> <see cref="WeatherFieldReader.ReadWeatherFields(IReadOnlyList{string}, IngestWorkspace)"/>
/// decodes into lent buffers, and <see cref="Rent"/> lends one directly. What is lent is the caller's until
/// it hands it back with <see cref="Return(float[])"/> or <see cref="Return(IEnumerable{GriddedField})"/>;
/// from then on the next file may overwrite it. Hand back only what nothing holds any more: values
/// written to disk, copied into a longer-lived array, or discarded. A buffer never handed back is an
/// ordinary array that the garbage collector reclaims; the workspace does not keep it alive.</para>
/// <para><b>Refusals.</b> Only a buffer this workspace has out on loan is taken back: a plain array, or one
/// handed back twice with no <see cref="Rent"/> of it in between, is an <see cref="InvalidOperationException"/>.
/// A second hand-back after the buffer was lent again cannot be told from its new holder's (a raw array does
/// not say who holds it) and is taken: hand each buffer back exactly once, or the array may end up lent to
/// two holders at once.</para>
/// <para><b>Contents.</b> A lent buffer holds whatever its previous holder left; every reader and regridder
/// that fills one writes each element.</para>
/// <para><b>Memory.</b> Idle buffers are kept up to <see cref="MaxIdleBytes"/>; past that the longest idle
/// are let go, and a buffer larger than the limit is never kept.</para>
/// <para>Thread safety: safe to use from several threads; each buffer is lent to one holder at a time,
/// provided every holder hands it back exactly once.</para>
/// </remarks>
public sealed class IngestWorkspace
{
    /// <summary>
    /// 128 MiB: a few files' worth of typical model output (a 110-step T42 field is 3.6 MB, a month of
    /// 6-hourly 1-degree fields 31 MB) without holding a silo's memory hostage to one large file.
    /// </summary>
    public const long DefaultMaxIdleBytes = 128L << 20;

    private static readonly object Lent = new();

    private readonly object gate = new();

    /// <summary>Idle buffers, longest idle first.</summary>
    private readonly List<float[]> idle = [];

    /// <summary>Buffers out on loan; weak, so one never handed back is still collected.</summary>
    private readonly ConditionalWeakTable<float[], object> onLoan = [];

    private long idleBytes;

    public IngestWorkspace(long maxIdleBytes = DefaultMaxIdleBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxIdleBytes);
        MaxIdleBytes = maxIdleBytes;
    }

    /// <summary>Most bytes of idle buffers kept for the next file.</summary>
    public long MaxIdleBytes { get; }

    /// <summary>Bytes of idle buffers held now.</summary>
    public long IdleBytes
    {
        get
        {
            lock (gate)
            {
                return idleBytes;
            }
        }
    }

    /// <summary>
    /// Lends a buffer of exactly <paramref name="length"/> values: an idle one of that length when there is
    /// one (the most recently returned), else a new one. Its contents are unspecified.
    /// </summary>
    public float[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        float[]? buffer = null;
        lock (gate)
        {
            var index = idle.FindLastIndex(candidate => candidate.Length == length);
            if (index >= 0)
            {
                buffer = idle[index];
                idle.RemoveAt(index);
                idleBytes -= SizeOf(buffer);
            }
        }

        // Every element is written by its holder before it is read, so a new buffer need not be zeroed.
        buffer ??= GC.AllocateUninitializedArray<float>(length);
        onLoan.Add(buffer, Lent);
        return buffer;
    }

    /// <summary>Takes back a buffer this workspace lent; its contents may be overwritten from now on.</summary>
    /// <exception cref="InvalidOperationException">
    /// The buffer was not lent by this workspace, or was handed back already.
    /// </exception>
    public void Return(float[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (!onLoan.Remove(buffer))
        {
            throw new InvalidOperationException(
                $"a buffer of {buffer.Length} values was handed back to an ingest workspace that did not lend it, " +
                "or that has it back already; hand back each lent buffer once, after nothing holds it any more");
        }

        var size = SizeOf(buffer);
        lock (gate)
        {
            if (size > MaxIdleBytes)
            {
                return;
            }

            idle.Add(buffer);
            idleBytes += size;
            while (idleBytes > MaxIdleBytes)
            {
                idleBytes -= SizeOf(idle[0]);
                idle.RemoveAt(0);
            }
        }
    }

    /// <summary>
    /// Takes back the values of fields read with this workspace, once nothing holds them any more (see
    /// <see cref="Return(float[])"/>).
    /// </summary>
    public void Return(IEnumerable<GriddedField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            Return(field.Values);
        }
    }

    private static long SizeOf(float[] buffer) => (long)buffer.Length * sizeof(float);
}
