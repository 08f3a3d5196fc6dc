// A port class wave miniport's descriptors (a fixture written for ksframe's tests): the ranges
// are an array reached through &Array[i], the pins a PCPIN_DESCRIPTOR table, the topology one
// DAC node. The render range asks for 8 bits at most and 4 bits at least; the capture one is
// written with the sample rates in the bits fields.
#include <portcls.h>
#include <ksmedia.h>

static KSDATARANGE_AUDIO WaveRanges[] = {
    { { sizeof(KSDATARANGE_AUDIO), 0, 0, 0, STATICGUIDOF(KSDATAFORMAT_TYPE_AUDIO),
        STATICGUIDOF(KSDATAFORMAT_SUBTYPE_PCM), STATICGUIDOF(KSDATAFORMAT_SPECIFIER_WAVEFORMATEX) },
      2, 4, 8, 8000, 48000 },
    { { sizeof(KSDATARANGE_AUDIO), 0, 0, 0, STATICGUIDOF(KSDATAFORMAT_TYPE_AUDIO),
        STATICGUIDOF(KSDATAFORMAT_SUBTYPE_PCM), STATICGUIDOF(KSDATAFORMAT_SPECIFIER_WAVEFORMATEX) },
      2, 44100, 48000, 16, 16 },
};

static PKSDATARANGE RenderRanges[] = { PKSDATARANGE(&WaveRanges[0]) };
static PKSDATARANGE CaptureRanges[] = { PKSDATARANGE(&WaveRanges[1]) };

static PCPIN_DESCRIPTOR WavePins[] = {
    { 1, 1, 0, NULL,
      { 0, NULL, 0, NULL, SIZEOF_ARRAY(RenderRanges), RenderRanges, KSPIN_DATAFLOW_IN,
        KSPIN_COMMUNICATION_SINK, &KSCATEGORY_AUDIO, NULL, 0 } },
    { 1, 1, 0, NULL,
      { 0, NULL, 0, NULL, SIZEOF_ARRAY(CaptureRanges), CaptureRanges, KSPIN_DATAFLOW_OUT,
        KSPIN_COMMUNICATION_SINK, &KSCATEGORY_AUDIO, NULL, 0 } },
    { 0, 0, 0, NULL,
      { 0, NULL, 0, NULL, 0, NULL, KSPIN_DATAFLOW_OUT, KSPIN_COMMUNICATION_NONE,
        &KSNODETYPE_SPEAKER, NULL, 0 } },
};

static PCNODE_DESCRIPTOR WaveNodes[] = { { 0, NULL, &KSNODETYPE_DAC, NULL } };

static PCCONNECTION_DESCRIPTOR WaveConnections[] = {
    { PCFILTER_NODE, 0, 0, 1 },
    { 0, 0, PCFILTER_NODE, 2 },
};

static PCFILTER_DESCRIPTOR WaveFilter = {
    0, NULL, sizeof(PCPIN_DESCRIPTOR), SIZEOF_ARRAY(WavePins), WavePins,
    sizeof(PCNODE_DESCRIPTOR), SIZEOF_ARRAY(WaveNodes), WaveNodes,
    SIZEOF_ARRAY(WaveConnections), WaveConnections, 0, NULL
};
