"""The home page: up, and which knowledge base it runs, with no patient data."""


def test_the_home_page_shows_the_product_is_up_and_the_knowledge_base_version(client, kb):
    response = client.get("/")
    assert response.status_code == 200
    assert "Running" in response.content.decode()
    assert f"Knowledge base version {kb.version}" in response.content.decode()
