/* A driver split over three sources (a fixture written for ksframe's tests): the formats here,
 * the pins in pins.c, the filter descriptor in filter.c. The audio range is 48 kHz stereo 16-bit. */
#include <ks.h>
#include <ksmedia.h>

const KSDATARANGE_AUDIO StereoRange = {
    { sizeof(KSDATARANGE_AUDIO), 0, 0, 0,
      STATICGUIDOF(KSDATAFORMAT_TYPE_AUDIO), STATICGUIDOF(KSDATAFORMAT_SUBTYPE_PCM),
      STATICGUIDOF(KSDATAFORMAT_SPECIFIER_WAVEFORMATEX) },
    2, 16, 16, 48000, 48000
};

const PKSDATARANGE StreamRanges[] = { (PKSDATARANGE)&StereoRange };
