#include "io/s3/xml_reader.h"

#include <string>

#include <gtest/gtest.h>

namespace floe::io {
namespace {

TEST(XmlReaderTest, ParsesAListObjectsV2Response) {
  auto document = ParseXml(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>bucket</Name><IsTruncated>true</IsTruncated>"
      "<Contents><Key>a&amp;b &lt;c&gt;</Key><Size>12</Size></Contents>"
      "<Contents><Key>d&#38;&#x41;</Key><Size>0</Size></Contents>"
      "<NextContinuationToken>token==</NextContinuationToken>"
      "</ListBucketResult>\n");
  ASSERT_TRUE(document.ok()) << document.status().ToString();
  EXPECT_EQ(document->name, "ListBucketResult");
  EXPECT_EQ(document->ChildText("IsTruncated"), "true");
  EXPECT_EQ(document->ChildText("NextContinuationToken"), "token==");
  ASSERT_EQ(document->children.size(), 5u);
  EXPECT_EQ(document->children[2].ChildText("Key"), "a&b <c>");
  EXPECT_EQ(document->children[3].ChildText("Key"), "d&A");
  EXPECT_EQ(document->ChildText("Missing"), "");
  EXPECT_EQ(document->Child("Missing"), nullptr);
}

TEST(XmlReaderTest, AcceptsEmptyElementsCommentsCdataAndSingleQuotes) {
  auto document = ParseXml("<!-- c --><a x='1' y=\"2\"><b/><c><![CDATA[<raw>]]></c> </a>");
  ASSERT_TRUE(document.ok()) << document.status().ToString();
  EXPECT_EQ(document->children.size(), 2u);
  EXPECT_EQ(document->ChildText("c"), "<raw>");
}

TEST(XmlReaderTest, RejectsMalformedDocuments) {
  for (const char* text : {"", "text", "<a>", "<a></b>", "<a><b></a></b>", "<a>&unknown;</a>",
                           "<a>&amp</a>", "<a></a><b></b>", "<a></a>trailing", "<a x=1></a>",
                           "<a x=\"1></a>", "<a><!-- </a>", "<a>&#0;</a>", "<a>&#xD800;</a>",
                           "<a>&#99999999999;</a>", "< a></a>", "<a/ >", "<a><![CDATA[x</a>"}) {
    auto document = ParseXml(text);
    EXPECT_FALSE(document.ok()) << text;
    if (!document.ok()) {
      EXPECT_EQ(document.status().code(), StatusCode::kCorruption) << text;
    }
  }
}

TEST(XmlReaderTest, LimitsNesting) {
  std::string deep;
  for (int level = 0; level < 65; ++level) {
    deep += "<a>";
  }
  for (int level = 0; level < 65; ++level) {
    deep += "</a>";
  }
  EXPECT_EQ(ParseXml(deep).status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(ParseXml(deep.substr(3, deep.size() - 7)).ok());
}

}  // namespace
}  // namespace floe::io
