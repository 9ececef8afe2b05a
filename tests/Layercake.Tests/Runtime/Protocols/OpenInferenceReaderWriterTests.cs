using System.Text;
using System.Text.Json;
using Layercake.Runtime.Protocols;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Runtime.Protocols;

/// <summary>The Open Inference v2 bodies: what the shared writer writes, the shared reader reads back, and bad shapes are named.</summary>
[Category(Categories.Unit)]
public sealed class OpenInferenceReaderWriterTests
{
    private static string Written(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static OpenInferenceFormatException? Problem(string json, Action<JsonElement> read)
    {
        using var document = JsonDocument.Parse(json);
        return Assert.Throws<OpenInferenceFormatException>(() => read(document.RootElement));
    }

    [Test]
    public void A_written_request_reads_back_tensor_by_tensor()
    {
        var json = Written(w =>
        {
            OpenInferenceWriter.WriteRequestStart(w, "r-1");
            OpenInferenceWriter.WriteTensorStart(w, "Island", TensorDatatypes.Bytes, [2]);
            OpenInferenceWriter.WriteTensorData(w);
            w.WriteStringValue("Dream");
            w.WriteNullValue();
            OpenInferenceWriter.WriteTensorEnd(w);
            OpenInferenceWriter.WriteTensorStart(w, "Body Mass (g)", TensorDatatypes.Fp32, [2, 1]);
            OpenInferenceWriter.WriteTensorData(w);
            w.WriteNumberValue(3750);
            w.WriteNumberValue(4100.5);
            OpenInferenceWriter.WriteTensorEnd(w);
            OpenInferenceWriter.WriteEnd(w);
        });
        using var document = JsonDocument.Parse(json);
        var request = document.RootElement;

        var tensors = OpenInferenceReader.InputTensors(request).Select((t, i) =>
        {
            var field = $"inputs[{i}]";
            var rows = OpenInferenceReader.TensorRows(t, field);
            return (Name: OpenInferenceReader.TensorName(t, field), Datatype: OpenInferenceReader.TensorDatatype(t, field), Rows: rows,
                Data: "[" + string.Join(",", OpenInferenceReader.TensorData(t, field, rows).Select(v => v.GetRawText())) + "]");
        }).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(OpenInferenceReader.RequestId(request), Is.EqualTo("r-1"));
            Assert.That(OpenInferenceReader.RequestedOutputs(request), Is.Null, "no outputs asked for: all of them");
            Assert.That(tensors, Is.EqualTo(new[] { ("Island", "BYTES", 2, """["Dream",null]"""), ("Body Mass (g)", "FP32", 2, "[3750,4100.5]") }));
        });
    }

    [Test]
    public void A_written_response_reads_back_by_output_name()
    {
        var json = Written(w =>
        {
            OpenInferenceWriter.WriteResponseStart(w, "penguins", "1.0.0", null);
            OpenInferenceWriter.WriteTensorStart(w, "label", TensorDatatypes.Bytes, [1]);
            OpenInferenceWriter.WriteTensorData(w);
            w.WriteStringValue("Adelie");
            OpenInferenceWriter.WriteTensorEnd(w);
            OpenInferenceWriter.WriteTensorStart(w, "probabilities", TensorDatatypes.Fp32, [1, 2]);
            OpenInferenceWriter.WriteParametersStart(w);
            w.WriteStartArray(OpenInferenceFields.Classes);
            w.WriteStringValue("Adelie");
            w.WriteStringValue("Gentoo");
            w.WriteEndArray();
            w.WriteEndObject();
            OpenInferenceWriter.WriteTensorData(w);
            w.WriteNumberValue(0.75f);
            w.WriteNumberValue(0.25f);
            OpenInferenceWriter.WriteTensorEnd(w);
            OpenInferenceWriter.WriteEnd(w);
        });
        using var document = JsonDocument.Parse(json);

        var outputs = OpenInferenceReader.OutputData(document.RootElement);

        Assert.Multiple(() =>
        {
            Assert.That(document.RootElement.GetProperty(OpenInferenceFields.ModelName).GetString(), Is.EqualTo("penguins"));
            Assert.That(document.RootElement.TryGetProperty(OpenInferenceFields.Id, out _), Is.False, "a null id is left out");
            Assert.That(outputs.Keys, Is.EquivalentTo(new[] { "label", "probabilities" }));
            Assert.That(outputs["probabilities"].GetRawText(), Is.EqualTo("[0.75,0.25]"));
        });
    }

    [TestCase("""[1]""", "the body must be a JSON object with 'inputs', found an array")]
    [TestCase("""{"id":7,"inputs":[]}""", "id: expected a string, found a number")]
    public void A_request_that_is_not_an_object_or_has_a_bad_id_is_named(string json, string message)
    {
        Assert.That(Problem(json, r => OpenInferenceReader.RequestId(r))!.Message, Is.EqualTo(message));
    }

    [TestCase("""{"shape":[2,3]}""", "inputs[0].shape: expected [N] or [N, 1] with N ≥ 0, found [2,3]")]
    [TestCase("""{"shape":[-1]}""", "inputs[0].shape: expected [N] or [N, 1] with N ≥ 0, found [-1]")]
    [TestCase("""{"name":"x"}""", "inputs[0].shape: required, [N] or [N, 1]")]
    public void Only_a_column_of_rows_is_a_feature_tensor(string tensor, string message)
    {
        Assert.That(Problem(tensor, t => OpenInferenceReader.TensorRows(t, "inputs[0]"))!.Message, Is.EqualTo(message));
    }

    [Test]
    public void Data_must_fill_the_shape_and_names_must_be_strings()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Problem("""{"data":[1]}""", t => OpenInferenceReader.TensorData(t, "inputs[1]", 2))!.Message, Is.EqualTo("inputs[1].data: 1 values do not fill shape [2, 1]"));
            Assert.That(Problem("""{"name":3}""", t => OpenInferenceReader.TensorName(t, "inputs[1]"))!.Message, Is.EqualTo("inputs[1].name: required, a string"));
            Assert.That(Problem("""{"outputs":"label"}""", r => OpenInferenceReader.RequestedOutputs(r))!.Message, Is.EqualTo("outputs: expected a list of {name}"));
            Assert.That(Problem("""{"outputs":[{"name":"label"}]}""", r => OpenInferenceReader.OutputData(r))!.Message, Is.EqualTo("outputs[0].data: required, a list of values"));
        });
    }

    [TestCase("""{"shape":[2,1],"data":[[1.5],[null]]}""", "[1.5,null]")]
    [TestCase("""{"shape":[2,1],"data":[1.5,null]}""", "[1.5,null]")]
    [TestCase("""{"shape":[2],"data":["a","b"]}""", "[\"a\",\"b\"]")]
    public void Data_may_come_flattened_or_nested_as_its_shape(string tensor, string values)
    {
        using var document = JsonDocument.Parse(tensor);

        var data = OpenInferenceReader.TensorData(document.RootElement, "inputs[0]", 2);

        Assert.That("[" + string.Join(",", data.Select(v => v.GetRawText())) + "]", Is.EqualTo(values));
    }

    [TestCase("""{"shape":[2],"data":[[1],[2]]}""", "inputs[0].data[0]: shape [2] holds one value per row, found a list")]
    [TestCase("""{"shape":[2,1],"data":[[1],[2,3]]}""", "inputs[0].data[1]: shape [2, 1] holds a list of 1 value per row, found 2")]
    [TestCase("""{"shape":[2,1],"data":[[1],2]}""", "inputs[0].data[1]: a single value among lists; send the data flattened or nested as the shape is, not both")]
    [TestCase("""{"shape":[2,1],"data":[[[1]],[[2]]]}""", "inputs[0].data[0][0]: nested deeper than shape [2, 1]")]
    public void Nested_data_must_match_its_shape(string tensor, string message)
    {
        Assert.That(Problem(tensor, t => OpenInferenceReader.TensorData(t, "inputs[0]", 2))!.Message, Is.EqualTo(message));
    }

    [Test]
    public void Any_numeric_datatype_is_numeric_and_bytes_is_not()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new[] { "FP16", "FP32", "FP64", "INT8", "INT64", "UINT32" }.All(TensorDatatypes.IsNumeric));
            Assert.That(TensorDatatypes.IsNumeric(TensorDatatypes.Bytes), Is.False);
            Assert.That(TensorDatatypes.IsNumeric("fp32"), Is.False, "datatypes are upper case in the protocol");
        });
    }
}
