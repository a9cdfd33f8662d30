using System.Text;

namespace WeatherGinr.Ingest.Native;

/// <summary>
/// A netCDF file opened read-only through libnetcdf, with its schema (groups, dimensions,
/// variables, attributes) read eagerly and checked. Every native call holds
/// <see cref="NetCdfNative.Gate"/>; the handle is always closed, also on a failed open.
/// The file is untrusted: lengths come from its header, so sizes are checked before any
/// allocation.
/// </summary>
internal sealed class NetCdfFile : IDisposable
{
    /// <summary>Largest attribute we read (elements); real attributes hold a few hundred.</summary>
    internal const int MaxAttributeElements = 1 << 20;

    private const int MaxGroups = 4096;
    private const int MaxGroupDepth = 32;

    private readonly NetCdfFileHandle handle;

    private NetCdfFile(string path, NetCdfFileHandle handle, string format, IReadOnlyList<NetCdfVariable> variables)
    {
        Path = path;
        this.handle = handle;
        Format = format;
        Variables = variables;
    }

    internal string Path { get; }

    /// <summary>"classic", "64bit_offset", "cdf5", "netcdf4" or "netcdf4_classic".</summary>
    internal string Format { get; }

    /// <summary>Every variable of every group, root group first.</summary>
    internal IReadOnlyList<NetCdfVariable> Variables { get; }

    internal static NetCdfFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new IngestException(path, null, "is a directory, not a NetCDF file");
        }

        if (!File.Exists(path))
        {
            throw new IngestException(path, null, "file not found");
        }

        if (new FileInfo(path).Length == 0)
        {
            throw new IngestException(path, null, "file is empty, not a NetCDF file");
        }

        NetCdfNative.EnsureResolver();
        NetCdfFileHandle? handle = null;
        try
        {
            int ncid;
            int status;
            lock (NetCdfNative.Gate)
            {
                Hdf5ErrorPrinting.SilenceOnThisThread();
                status = NetCdfNative.Open(path, NetCdfNative.NoWrite, out ncid);
                handle = status == NetCdfNative.NoError ? new NetCdfFileHandle(ncid) : null;
            }

            if (handle is null)
            {
                throw OpenFailure(path, status);
            }

            var format = ReadFormat(path, ncid);
            if (format is "classic" or "64bit_offset" or "cdf5")
            {
                CheckClassicExtent(path);
            }

            var variables = new List<NetCdfVariable>();
            ReadGroup(path, ncid, "/", depth: 0, variables, groupBudget: new int[] { MaxGroups });
            return new NetCdfFile(path, handle, format, variables);
        }
        catch (DllNotFoundException exception)
        {
            handle?.Dispose();
            throw new IngestException(
                path, null,
                "libnetcdf is not installed (looked for libnetcdf.so.19 and libnetcdf.so); "
                + "install Debian's libnetcdf19 (run infra/setup/setup.sh)", exception);
        }
        catch
        {
            handle?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the hyperslab <paramref name="start"/>/<paramref name="count"/> of a variable
    /// converted to double by the library, into <paramref name="destination"/>.
    /// </summary>
    internal unsafe void ReadSlab(NetCdfVariable variable, ReadOnlySpan<long> start, ReadOnlySpan<long> count,
        Span<double> destination)
    {
        CheckSlab(variable, start, count, destination.Length);
        fixed (double* valuesPointer = destination)
        {
            ReadSlabNative(variable, start, count, valuesPointer, asFloat: false);
        }
    }

    /// <summary>
    /// Reads the hyperslab of a variable converted to float by the library, into <paramref name="destination"/>:
    /// for float variables the stored numbers themselves, with no widening to double and back.
    /// </summary>
    internal unsafe void ReadSlab(NetCdfVariable variable, ReadOnlySpan<long> start, ReadOnlySpan<long> count,
        Span<float> destination)
    {
        CheckSlab(variable, start, count, destination.Length);
        fixed (float* valuesPointer = destination)
        {
            ReadSlabNative(variable, start, count, valuesPointer, asFloat: true);
        }
    }

    private void CheckSlab(NetCdfVariable variable, ReadOnlySpan<long> start, ReadOnlySpan<long> count,
        int destinationLength)
    {
        if (start.Length != variable.Rank || count.Length != variable.Rank)
        {
            throw new ArgumentException("start and count must have one entry per dimension");
        }

        long total = 1;
        for (var axis = 0; axis < count.Length; axis++)
        {
            var length = variable.Dimensions[axis].Length;
            if (start[axis] < 0 || count[axis] < 0 || start[axis] + count[axis] > length)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "hyperslab outside the variable");
            }

            total *= count[axis];
        }

        if (total > destinationLength)
        {
            throw new ArgumentException("destination too small for the hyperslab", nameof(destinationLength));
        }

        if (!variable.Type.IsNumeric())
        {
            throw new IngestException(Path, variable.QualifiedName,
                $"has type {variable.Type.CdlName()}, not a numeric type");
        }
    }

    /// <summary>
    /// One checked hyperslab read under the gate, with start and count as size_t, into float or double values.
    /// </summary>
    private unsafe void ReadSlabNative(NetCdfVariable variable, ReadOnlySpan<long> start, ReadOnlySpan<long> count,
        void* destination, bool asFloat)
    {
        Span<nuint> nativeStart = stackalloc nuint[Math.Max(1, variable.Rank)];
        Span<nuint> nativeCount = stackalloc nuint[Math.Max(1, variable.Rank)];
        for (var axis = 0; axis < variable.Rank; axis++)
        {
            nativeStart[axis] = (nuint)start[axis];
            nativeCount[axis] = (nuint)count[axis];
        }

        fixed (nuint* startPointer = nativeStart)
        fixed (nuint* countPointer = nativeCount)
        {
            lock (NetCdfNative.Gate)
            {
                EnsureOpen();

                // A file opened on one thread may be read on another (after an await).
                Hdf5ErrorPrinting.SilenceOnThisThread();
                var status = asFloat
                    ? NetCdfNative.GetVariableSlabFloat(
                        variable.GroupId, variable.VariableId, startPointer, countPointer, (float*)destination)
                    : NetCdfNative.GetVariableSlabDouble(
                        variable.GroupId, variable.VariableId, startPointer, countPointer, (double*)destination);
                Check(status, Path, variable.QualifiedName, "cannot read data");
            }
        }
    }

    public void Dispose() => handle.Dispose();

    private void EnsureOpen() => ObjectDisposedException.ThrowIf(handle.IsClosed, this);

    private static void Check(int status, string path, string? variableName, string action)
    {
        if (status != NetCdfNative.NoError)
        {
            throw new IngestException(path, variableName, $"{action}: {NetCdfNative.Message(status)}")
            {
                NativeStatus = status,
            };
        }
    }

    /// <summary>
    /// libnetcdf's status names what it tripped over, not why: a classic header cut short is "Invalid
    /// argument", a netCDF-4 file cut short "HDF error". A file shorter than its own header says gets a
    /// message that says so; the library's words are kept beside it.
    /// </summary>
    private static IngestException OpenFailure(string path, int status)
    {
        string? problem;
        try
        {
            problem = ClassicFileExtent.FindTruncation(path) ?? Hdf5FileExtent.FindTruncation(path);
        }
        catch (Exception exception)
            when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            problem = null;
        }

        string library;
        lock (NetCdfNative.Gate)
        {
            library = NetCdfNative.Message(status);
        }

        return new IngestException(path, null, problem is null
            ? $"cannot open: {library}"
            : $"{problem} (libnetcdf: {library})")
        {
            NativeStatus = status,
        };
    }

    private static void CheckClassicExtent(string path)
    {
        string? problem;
        try
        {
            problem = ClassicFileExtent.FindTruncation(path);
        }
        catch (InvalidDataException exception)
        {
            problem = $"has a corrupt header ({exception.Message})";
        }
        catch (IOException exception)
        {
            problem = $"cannot be read ({exception.Message})";
        }

        if (problem is not null)
        {
            throw new IngestException(path, null, problem);
        }
    }

    private static string ReadFormat(string path, int ncid)
    {
        int format;
        lock (NetCdfNative.Gate)
        {
            Check(NetCdfNative.InquireFormat(ncid, out format), path, null, "cannot read the format");
        }

        return format switch
        {
            1 => "classic",
            2 => "64bit_offset",
            3 => "netcdf4",
            4 => "netcdf4_classic",
            5 => "cdf5",
            _ => $"format {format}",
        };
    }

    private static void ReadGroup(
        string path, int groupId, string groupPath, int depth, List<NetCdfVariable> variables, int[] groupBudget)
    {
        if (depth > MaxGroupDepth || --groupBudget[0] < 0)
        {
            throw new IngestException(path, null, $"has more than {MaxGroups} groups or nesting deeper than "
                + $"{MaxGroupDepth}; refusing to walk it");
        }

        var unlimited = ReadUnlimitedDimensionIds(path, groupId);
        foreach (var variableId in ReadIds(path, groupId, variables: true))
        {
            variables.Add(ReadVariable(path, groupId, groupPath, variableId, unlimited));
        }

        foreach (var childId in ReadIds(path, groupId, variables: false))
        {
            var childPath = ReadGroupPath(path, childId);
            ReadGroup(path, childId, childPath, depth + 1, variables, groupBudget);
        }
    }

    private static unsafe int[] ReadIds(string path, int groupId, bool variables)
    {
        lock (NetCdfNative.Gate)
        {
            int count;
            var status = variables
                ? NetCdfNative.InquireVariableIds(groupId, out count, null)
                : NetCdfNative.InquireGroups(groupId, out count, null);
            if (!variables && status != NetCdfNative.NoError)
            {
                // Classic files have no groups; the call may report "not a netCDF-4 file".
                return [];
            }

            Check(status, path, null, "cannot list variables");
            if (count < 0 || count > 1_000_000)
            {
                throw new IngestException(path, null, $"declares {count} {(variables ? "variables" : "groups")}");
            }

            var ids = new int[count];
            fixed (int* idsPointer = ids)
            {
                status = variables
                    ? NetCdfNative.InquireVariableIds(groupId, out count, idsPointer)
                    : NetCdfNative.InquireGroups(groupId, out count, idsPointer);
            }

            Check(status, path, null, variables ? "cannot list variables" : "cannot list groups");
            return ids;
        }
    }

    private static unsafe HashSet<int> ReadUnlimitedDimensionIds(string path, int groupId)
    {
        lock (NetCdfNative.Gate)
        {
            Check(NetCdfNative.InquireUnlimitedDimensions(groupId, out var count, null), path, null,
                "cannot list unlimited dimensions");
            if (count <= 0)
            {
                return [];
            }

            if (count > NetCdfNative.MaxVariableDimensions * 64)
            {
                throw new IngestException(path, null, $"declares {count} unlimited dimensions");
            }

            var ids = new int[count];
            fixed (int* idsPointer = ids)
            {
                Check(NetCdfNative.InquireUnlimitedDimensions(groupId, out count, idsPointer), path, null,
                    "cannot list unlimited dimensions");
            }

            return [.. ids];
        }
    }

    private static unsafe string ReadGroupPath(string path, int groupId)
    {
        lock (NetCdfNative.Gate)
        {
            Check(NetCdfNative.InquireGroupFullName(groupId, out var length, null), path, null,
                "cannot read a group name");
            if (length > 1 << 16)
            {
                throw new IngestException(path, null, "has a group name longer than 64 KiB");
            }

            var buffer = new byte[(int)length + 1];
            fixed (byte* bufferPointer = buffer)
            {
                Check(NetCdfNative.InquireGroupFullName(groupId, out length, bufferPointer), path, null,
                    "cannot read a group name");
            }

            return Decode(buffer);
        }
    }

    private static unsafe NetCdfVariable ReadVariable(
        string path, int groupId, string groupPath, int variableId, HashSet<int> unlimited)
    {
        string name;
        int type;
        int[] dimensionIds;
        var nameBuffer = new byte[NetCdfNative.MaxNameBytes + 1];
        lock (NetCdfNative.Gate)
        {
            Check(NetCdfNative.InquireVariableDimensionCount(groupId, variableId, out var rank), path, null,
                "cannot read a variable");
            if (rank < 0 || rank > NetCdfNative.MaxVariableDimensions)
            {
                throw new IngestException(path, null, $"variable {variableId} declares {rank} dimensions");
            }

            dimensionIds = new int[rank];
            fixed (byte* namePointer = nameBuffer)
            fixed (int* dimensionPointer = dimensionIds)
            {
                Check(NetCdfNative.InquireVariable(groupId, variableId, namePointer, out type, out var rankAgain,
                    dimensionPointer, out _), path, null, "cannot read a variable");
                if (rankAgain != rank)
                {
                    throw new IngestException(path, null, $"variable {variableId} changed its rank while read");
                }
            }

            name = Decode(nameBuffer);
        }

        var qualified = groupPath == "/" ? name : $"{groupPath}/{name}";
        var dimensions = new NetCdfDimension[dimensionIds.Length];
        for (var axis = 0; axis < dimensionIds.Length; axis++)
        {
            dimensions[axis] = ReadDimension(path, groupId, dimensionIds[axis], qualified, unlimited);
        }

        var attributes = ReadAttributes(path, groupId, variableId, qualified);
        return new NetCdfVariable(groupId, groupPath, variableId, name, (NetCdfType)type, dimensions, attributes);
    }

    private static unsafe NetCdfDimension ReadDimension(
        string path, int groupId, int dimensionId, string variableName, HashSet<int> unlimited)
    {
        var nameBuffer = new byte[NetCdfNative.MaxNameBytes + 1];
        nuint length;
        lock (NetCdfNative.Gate)
        {
            fixed (byte* namePointer = nameBuffer)
            {
                Check(NetCdfNative.InquireDimension(groupId, dimensionId, namePointer, out length), path,
                    variableName, "cannot read a dimension");
            }
        }

        if (length > long.MaxValue)
        {
            throw new IngestException(path, variableName, $"has a dimension of absurd length {length}");
        }

        return new NetCdfDimension(dimensionId, Decode(nameBuffer), (long)length, unlimited.Contains(dimensionId));
    }

    private static unsafe Dictionary<string, NetCdfAttribute> ReadAttributes(
        string path, int groupId, int variableId, string variableName)
    {
        var attributes = new Dictionary<string, NetCdfAttribute>(StringComparer.Ordinal);
        int count;
        lock (NetCdfNative.Gate)
        {
            Check(NetCdfNative.InquireAttributeCount(groupId, variableId, out count), path, variableName,
                "cannot count attributes");
        }

        var nameBuffer = new byte[NetCdfNative.MaxNameBytes + 1];
        for (var number = 0; number < count; number++)
        {
            string name;
            lock (NetCdfNative.Gate)
            {
                Array.Clear(nameBuffer);
                fixed (byte* namePointer = nameBuffer)
                {
                    Check(NetCdfNative.InquireAttributeName(groupId, variableId, number, namePointer), path,
                        variableName, "cannot read an attribute name");
                }

                name = Decode(nameBuffer);
            }

            attributes[name] = ReadAttribute(path, groupId, variableId, variableName, name);
        }

        return attributes;
    }

    private static unsafe NetCdfAttribute ReadAttribute(
        string path, int groupId, int variableId, string variableName, string name)
    {
        lock (NetCdfNative.Gate)
        {
            Check(NetCdfNative.InquireAttribute(groupId, variableId, name, out var rawType, out var length), path,
                variableName, $"cannot read attribute '{name}'");
            if (length > MaxAttributeElements)
            {
                throw new IngestException(path, variableName,
                    $"has attribute '{name}' with {length} elements (limit {MaxAttributeElements})");
            }

            var type = (NetCdfType)rawType;
            var count = (int)length;
            switch (type)
            {
                case NetCdfType.Char:
                    var text = new byte[count + 1];
                    fixed (byte* textPointer = text)
                    {
                        Check(NetCdfNative.GetAttributeText(groupId, variableId, name, textPointer), path,
                            variableName, $"cannot read attribute '{name}'");
                    }

                    return new NetCdfAttribute(name, type, Decode(text.AsSpan(0, count)), []);

                case NetCdfType.String:
                    var pointers = new IntPtr[Math.Max(1, count)];
                    fixed (IntPtr* stringsPointer = pointers)
                    {
                        Check(NetCdfNative.GetAttributeStrings(groupId, variableId, name, stringsPointer), path,
                            variableName, $"cannot read attribute '{name}'");
                        try
                        {
                            var parts = new string[count];
                            for (var index = 0; index < count; index++)
                            {
                                parts[index] = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(
                                    pointers[index]) ?? string.Empty;
                            }

                            return new NetCdfAttribute(name, type, string.Join(",", parts), []);
                        }
                        finally
                        {
                            NetCdfNative.FreeStrings(length, stringsPointer);
                        }
                    }

                default:
                    if (!type.IsNumeric())
                    {
                        // User-defined types (compound, enum, vlen): keep the name, not the content.
                        return new NetCdfAttribute(name, type, null, []);
                    }

                    var numbers = new double[count];
                    fixed (double* numbersPointer = numbers)
                    {
                        Check(NetCdfNative.GetAttributeDouble(groupId, variableId, name, numbersPointer), path,
                            variableName, $"cannot read attribute '{name}'");
                    }

                    return new NetCdfAttribute(name, type, null, numbers);
            }
        }
    }

    /// <summary>UTF-8 up to the first NUL (names and char attributes are NUL-padded).</summary>
    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
