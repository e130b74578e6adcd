#include "algo/model_io.h"

#include <gtest/gtest.h>

namespace tailor::algo {
namespace {

TEST(ModelIoTest, EnvelopeRoundTripsAndDetectsCorruption) {
  std::string payload;
  ByteWriter w(&payload);
  w.Put<int32_t>(42);
  w.PutVector(std::vector<float>{1.5f, 2.5f});
  w.PutString("abc");
  std::string bytes;
  WriteModelEnvelope("ials", payload, &bytes);
  auto env = ReadModelEnvelope(bytes);
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->tag, "ials");
  ByteReader r(env->payload);
  int32_t v = 0;
  std::vector<float> f;
  std::string s;
  EXPECT_TRUE(r.Get(&v) && r.GetVector(&f) && r.GetString(&s));
  EXPECT_EQ(v, 42);
  EXPECT_EQ(f, (std::vector<float>{1.5f, 2.5f}));
  EXPECT_EQ(s, "abc");
  EXPECT_FALSE(r.Get(&v));
  EXPECT_TRUE(r.status("x").IsInternal());

  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 1;
  EXPECT_NE(ReadModelEnvelope(flipped).status().message().find("crc32"), std::string::npos);
  EXPECT_TRUE(ReadModelEnvelope(bytes.substr(0, bytes.size() - 1)).status().IsInternal());
  std::string bad_magic = bytes;
  bad_magic[0] = 'X';
  EXPECT_NE(ReadModelEnvelope(bad_magic).status().message().find("magic"), std::string::npos);
}

// Written in place, an envelope and a section are the same bytes as their copying forms, and an
// envelope after other bytes (a model inside an artifact) reads back on its own.
TEST(ModelIoTest, InPlaceEnvelopeAndSectionMatchTheCopyingForms) {
  std::string inner;
  ByteWriter iw(&inner);
  iw.Put<int32_t>(7);
  iw.PutString("payload");
  std::string copied;
  ByteWriter cw(&copied);
  cw.Put<uint32_t>(1);
  std::string wrapped;
  WriteModelEnvelope("sims", inner, &wrapped);
  cw.PutString(wrapped);
  cw.Put<uint32_t>(2);

  std::string in_place;
  ByteWriter pw(&in_place);
  pw.Put<uint32_t>(1);
  ASSERT_TRUE(pw.PutSection([](std::string* buffer) {
                  const size_t envelope = BeginModelEnvelope("sims", buffer);
                  ByteWriter bw(buffer);
                  bw.Put<int32_t>(7);
                  bw.PutString("payload");
                  EndModelEnvelope(envelope, buffer);
                  return Status::OK();
                }).ok());
  pw.Put<uint32_t>(2);
  EXPECT_EQ(in_place, copied);

  ByteReader r(in_place);
  uint32_t first = 0;
  std::string model;
  ASSERT_TRUE(r.Get(&first) && r.GetString(&model));
  auto env = ReadModelEnvelope(model);
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->tag, "sims");
  EXPECT_EQ(env->payload, inner);
}

}  // namespace
}  // namespace tailor::algo
