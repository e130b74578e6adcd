#include "data/id_dictionary.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace tailor::data {
namespace {

TEST(IdDictionaryTest, InternsInFirstSeenOrder) {
  IdDictionary dictionary;
  EXPECT_EQ(dictionary.Intern("b"), 0u);
  EXPECT_EQ(dictionary.Intern("a"), 1u);
  EXPECT_EQ(dictionary.Intern("b"), 0u);
  EXPECT_EQ(dictionary.Intern(""), 2u);
  EXPECT_EQ(dictionary.size(), 3u);
  EXPECT_EQ(dictionary.key(1), "a");
  EXPECT_EQ(dictionary.Find(""), 2u);
  EXPECT_EQ(dictionary.Find("c"), IdDictionary::kNotFound);
}

TEST(IdDictionaryTest, KeepsKeysOfEveryLengthAcrossRehashes) {
  // Short keys live inline in the table, long ones in the arena; a key equal to a short one
  // padded with NULs must stay distinct.
  IdDictionary dictionary;
  std::vector<std::string> keys;
  for (int i = 0; i < 50000; ++i) {
    keys.push_back(std::to_string(i) + std::string(static_cast<size_t>(i % 23), 'x'));
  }
  keys.push_back(std::string("7\0", 2));
  keys.push_back(std::string(100000, 'y'));
  std::vector<std::string_view> views;
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(dictionary.Intern(keys[i]), i);
    views.push_back(dictionary.key(static_cast<uint32_t>(i)));
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(dictionary.Find(keys[i]), i);
    ASSERT_EQ(dictionary.Intern(keys[i]), i);
    ASSERT_EQ(views[i], keys[i]);  // earlier views survive later growth
  }
  EXPECT_EQ(dictionary.size(), keys.size());
}

}  // namespace
}  // namespace tailor::data
